import assert from 'node:assert/strict';
import {test} from 'node:test';
import {ContainerdClient} from '../../../source/data/containerd/client.js';
import {killTask} from '../../../source/data/containerd/tasks.js';
import {CriClient} from '../../../source/data/cri/client.js';
import {UndockError, type ErrorKind} from '../../../source/data/errors.js';
import {EtcdClient} from '../../../source/data/etcd/client.js';
import {endpointStatus, leases, memberList, revokeLease} from '../../../source/data/etcd/cluster.js';
import {createKey, deleteKey, deletePrefix, putIfUnchanged} from '../../../source/data/etcd/edit.js';
import {countPrefix, getValue, leafValueSizes} from '../../../source/data/etcd/keys.js';
import {GrpcConnection} from '../../../source/data/grpc/connection.js';
import {rpcClasses} from '../../../source/data/grpc/rpc-classes.js';

// Nothing is there: a call that is sent fails 'unavailable'; one refused first fails 'readonly'.
const NO_SOCKET = '/nonexistent/undock-readonly-test.sock';
const NO_ETCD = ['127.0.0.1:2'];

const kind = (k: ErrorKind, message?: RegExp) => (e: unknown) => {
  assert.ok(e instanceof UndockError, `not an UndockError: ${String(e)}`);
  assert.equal(e.kind, k, e.line);
  if (message) assert.match(e.line, message);
  return true;
};
const refused = (what: string) =>
  kind('readonly', new RegExp(`^refused ${what.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: undock runs with --readonly: restart without --readonly to change things$`));

function connection(readonly: boolean): GrpcConnection {
  return new GrpcConnection({label: 'containerd', address: NO_SOCKET, howToChange: 'set --address'}, {readonly});
}

test('a read-only connection refuses every write before sending it, and still sends reads', async () => {
  const ro = connection(true);
  try {
    await assert.rejects(
      ro.unary('containerd/services/tasks/v1/tasks.proto', 'containerd.services.tasks.v1.Tasks', 'Exec', {container_id: 'x', exec_id: 'y'}, {namespace: 'default'}),
      refused('Tasks.Exec'),
    );
    await assert.rejects(ro.unary('cri/runtime/v1/api.proto', 'runtime.v1.ImageService', 'PullImage', {image: {image: 'x'}}), refused('ImageService.PullImage'));
    // every write in the table; the refusal comes before the proto file is even loaded
    for (const [service, c] of Object.entries(rpcClasses)) {
      for (const m of c.write) await assert.rejects(ro.unary('not-loaded.proto', service, m, {}), kind('readonly'), `${service}.${m}`);
    }
    // the same connection sends a read: it fails because nothing listens, not because it was refused
    await assert.rejects(ro.unary('containerd/services/version/v1/version.proto', 'containerd.services.version.v1.Version', 'Version', {}), kind('unavailable', /no such socket/));
    await assert.rejects(ro.unary('containerd/services/tasks/v1/tasks.proto', 'containerd.services.tasks.v1.Tasks', 'Wait', {container_id: 'x'}), kind('unavailable'));
    await assert.rejects(
      ro.serverStream('containerd/services/events/v1/events.proto', 'containerd.services.events.v1.Events', 'Subscribe', {filters: []}),
      kind('unavailable'),
    );
  } finally {
    ro.close();
  }
});

test('a method or service no one classified is refused too, streams included', async () => {
  const ro = connection(true);
  try {
    await assert.rejects(ro.serverStream('x.proto', 'containerd.services.events.v1.Events', 'Forward', {}), refused('Events.Forward'));
    await assert.rejects(ro.unary('x.proto', 'containerd.services.leases.v1.Leases', 'List', {}), refused('Leases.List'));
  } finally {
    ro.close();
  }
});

test('the clients built on a read-only connection refuse their writes and send their reads', async () => {
  const ro = connection(true);
  try {
    const containerd = new ContainerdClient(ro);
    const cri = new CriClient(ro);
    await assert.rejects(killTask(containerd, 'default', 'web', 15), refused('Tasks.Kill'));
    await assert.rejects(containerd.deleteImage('default', 'busybox'), refused('Images.Delete'));
    await assert.rejects(cri.stopContainer('c', 0), refused('RuntimeService.StopContainer'));
    await assert.rejects(cri.removeImage('busybox'), refused('ImageService.RemoveImage'));
    await assert.rejects(containerd.listNamespaces(), kind('unavailable'));
    await assert.rejects(cri.listPodSandboxes(), kind('unavailable'));
  } finally {
    ro.close();
  }
});

test('without --readonly the same write is sent (and fails: nothing listens)', async () => {
  const rw = connection(false);
  try {
    await assert.rejects(rw.unary('containerd/services/tasks/v1/tasks.proto', 'containerd.services.tasks.v1.Tasks', 'Kill', {container_id: 'x'}), kind('unavailable'));
  } finally {
    rw.close();
  }
});

test('a read-only etcd client refuses every write before calling etcd, and still reads', async () => {
  const ro = new EtcdClient(NO_ETCD, {readonly: true});
  try {
    await assert.rejects(putIfUnchanged(ro, '/a', Buffer.from('x'), '5'), refused('writing /a'));
    await assert.rejects(createKey(ro, '/b', Buffer.from('x')), refused('creating /b'));
    await assert.rejects(createKey(ro, '/b', Buffer.from('x'), 60), refused('creating /b'));
    await assert.rejects(deleteKey(ro, '/c'), refused('deleting /c'));
    await assert.rejects(deleteKey(ro, '/c', '7'), refused('deleting /c'));
    // refused before its count, which would otherwise be sent first
    await assert.rejects(deletePrefix(ro, '/d/', 3), refused('deleting the keys under /d/'));
    await assert.rejects(revokeLease(ro, '694d77aa4b5e8a2b'), refused('revoking lease 694d77aa4b5e8a2b'));
    let called = false;
    await assert.rejects(
      ro.write('anything', async () => {
        called = true;
      }),
      refused('anything'),
    );
    assert.equal(called, false);

    await assert.rejects(getValue(ro, '/a'), kind('unavailable'));
    await assert.rejects(countPrefix(ro, '/d/'), kind('unavailable'));
    await assert.rejects(leafValueSizes(ro, [Buffer.from('/a')]), kind('unavailable'));
    await assert.rejects(memberList(ro), kind('unavailable'));
    await assert.rejects(leases(ro), kind('unavailable'));
    await assert.rejects(endpointStatus(ro, 'http://127.0.0.1:2'), kind('unavailable'));
  } finally {
    ro.close();
  }
});

test('a writable etcd client sends the write (and it fails: nothing listens)', async () => {
  const rw = new EtcdClient(NO_ETCD);
  try {
    await assert.rejects(deleteKey(rw, '/c'), kind('unavailable'));
  } finally {
    rw.close();
  }
});
