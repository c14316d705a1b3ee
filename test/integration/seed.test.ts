// `sandbox.sh seed` brings whatever state there is to the seeded state, however often it runs.
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import path from 'node:path';
import {after, test} from 'node:test';
import {ctr} from '../helpers/ctr.js';
import {sandboxCri} from '../helpers/cri-pod.js';
import {repoRoot} from '../helpers/pty.js';
import {etcdGet} from '../helpers/etcd.js';
import {readK8sObject} from '../../source/data/k8s/object.js';

const cri = sandboxCri();
after(() => cri.conn.close());

function seed(): {status: number | null; out: string} {
  const r = spawnSync('bash', [path.join(repoRoot, 'scripts/sandbox.sh'), 'seed'], {encoding: 'utf8', env: process.env, timeout: 120_000});
  return {status: r.status, out: `${r.stdout}${r.stderr}`};
}

/** `ctr tasks ls` as id -> status. */
function tasks(): Map<string, string> {
  const lines = ctr('default', 'tasks', 'ls').trim().split('\n').slice(1);
  return new Map(lines.map((l) => l.trim().split(/\s+/)).map(([id, , status]) => [id!, status!]));
}

test('seed twice in a row exits 0 both times, even over a snapshot left without its container', async () => {
  // Earlier tests may have changed the seeded containers: start from the seeded state.
  const first = seed();
  assert.equal(first.status, 0, `the first seed exits 0; it said:\n${first.out}`);
  // What broke a second `npm run demo`: a snapshot named like a seeded container, its container gone.
  // The snapshot lives in the container's snapshotter (overlayfs, or native where overlay is refused).
  const {Snapshotter: snapshotter} = JSON.parse(ctr('default', 'containers', 'info', 'failed-job')) as {Snapshotter: string};
  // A GC root while the container still holds it: containerd's garbage collector removes a snapshot
  // nothing references, and once it ran between the rm and the check below (the leftover was gone).
  ctr('default', 'snapshots', '--snapshotter', snapshotter, 'label', 'failed-job', `containerd.io/gc.root=${new Date().toISOString()}`);
  ctr('default', 'tasks', 'rm', '-f', 'failed-job');
  ctr('default', 'containers', 'rm', '--keep-snapshot', 'failed-job');
  assert.match(ctr('default', 'snapshots', '--snapshotter', snapshotter, 'ls'), /^failed-job\s/m, 'the leftover snapshot is there');
  for (const round of [1, 2]) {
    const {status, out} = seed();
    assert.equal(status, 0, `seed ${round} exits 0; it said:\n${out}`);
    assert.doesNotMatch(out, /already exists|seeding failed/);
  }
  // The seeded state, as ctr and CRI tell it.
  const t = tasks();
  assert.deepEqual(['web', 'worker', 'batch-job', 'failed-job'].map((id) => t.get(id)), ['RUNNING', 'RUNNING', 'STOPPED', 'STOPPED']);
  assert.ok(!t.has('unstarted'), 'unstarted has no task');
  const containers = ctr('default', 'containers', 'ls', '-q').trim().split('\n');
  for (const id of ['web', 'worker', 'batch-job', 'failed-job', 'unstarted']) assert.ok(containers.includes(id), `container ${id}`);
  const pods = (await cri.listPodSandboxes()).filter((p) => p.labels['undock.dev/seed'] === 'true');
  assert.deepEqual(pods.map((p) => `${p.namespace}/${p.name}:${p.state}`).sort(), ['default/nginx-7d9f:ready', 'default/stale-5c8d:ready', 'kube-system/coredns-5d78:ready']);
});

test('both sides agree on node worker-1: the CRI pods\' uids are their API Pods\', one orphan, one missing pod', async () => {
  const pods = (await cri.listPodSandboxes()).filter((p) => p.labels['undock.dev/seed'] === 'true');
  const read = (key: string) => {
    const kv = etcdGet(key);
    if (!kv) return undefined;
    const r = readK8sObject(kv.value);
    assert.ok(r.ok && r.encoding === 'protobuf', `${key} is k8s protobuf`);
    return r.object as {metadata: {uid: string; ownerReferences?: Array<{kind: string; name: string}>}; spec: {nodeName: string}};
  };
  for (const [ns, name] of [['default', 'nginx-7d9f'], ['kube-system', 'coredns-5d78']]) {
    const sandbox = pods.find((p) => p.namespace === ns && p.name === name)!;
    assert.equal(sandbox.labels['io.kubernetes.pod.uid'], sandbox.uid);
    const api = read(`/registry/pods/${ns}/${name}`);
    assert.ok(api, `etcd has ${ns}/${name}`);
    assert.equal(api.metadata.uid, sandbox.uid, `${ns}/${name}: the same uid on both sides`);
    assert.equal(api.spec.nodeName, 'worker-1');
    assert.equal(api.metadata.ownerReferences?.[0]?.kind, 'ReplicaSet');
  }
  assert.ok(pods.some((p) => p.name === 'stale-5c8d'), 'the orphan sandbox runs');
  assert.equal(etcdGet('/registry/pods/default/stale-5c8d'), undefined, 'and has no API object');
  assert.equal(read('/registry/pods/default/nginx-7d9f-q4m2x')?.spec.nodeName, 'worker-1', 'the missing pod is bound here');
  assert.ok(!pods.some((p) => p.name === 'nginx-7d9f-q4m2x'), 'and has no sandbox');
  assert.ok(read('/registry/minions/worker-1'), 'the Node');
  assert.ok(read('/registry/deployments/default/nginx') && read('/registry/replicasets/default/nginx-7d9f') && read('/registry/jobs/default/backup-28391'), 'its owners');
  assert.match(etcdGet('/registry/secrets/default/api-token')!.value.toString('latin1'), /^k8s:enc:aescbc:v1:key1:/, 'a Secret encrypted at rest');
});
