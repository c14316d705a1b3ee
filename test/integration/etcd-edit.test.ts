import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {after, test} from 'node:test';
import {UndockError} from '../../source/data/errors.js';
import {EtcdClient} from '../../source/data/etcd/client.js';
import {leases, revokeLease} from '../../source/data/etcd/cluster.js';
import {createKey, deleteKey, deletePrefix, keyHistory, putIfUnchanged} from '../../source/data/etcd/edit.js';
import {countPrefix, getValue, prefixRangeEnd} from '../../source/data/etcd/keys.js';
import {sandboxEnv} from '../helpers/sandbox-env.js';

const env = sandboxEnv();
const endpoints = env.etcdEndpoints.split(',');
const client = new EtcdClient(endpoints);
const readonlyClient = new EtcdClient(endpoints, {readonly: true});
const root = `/undock-test-${process.pid}/edit/`;
const made: string[] = []; // leases this file granted, revoked at the end

after(async () => {
  for (const id of made) await client.write('the test', (etcd) => etcd.leaseClient.leaseRevoke({ID: BigInt(`0x${id}`).toString()})).catch(() => undefined);
  await client.write('the test', (etcd) => etcd.kv.deleteRange({key: Buffer.from(root), range_end: prefixRangeEnd(Buffer.from(root))}));
  client.close();
  readonlyClient.close();
});

function etcdctl(...args: string[]): string {
  return execFileSync('etcdctl', args, {encoding: 'utf8', env: {...process.env, ETCDCTL_API: '3'}});
}

const put = async (key: string, value: string) => (await client.write('the test', (etcd) => etcd.kv.put({key: Buffer.from(key), value: Buffer.from(value)}))).header.revision;

test('compare-and-swap: a stale mod revision writes nothing and returns what etcd holds', async () => {
  const key = `${root}cas`;
  const created = await createKey(client, key, Buffer.from('one'));
  assert.ok(created.ok);
  const stale = created.revision;
  const other = await put(key, 'two'); // someone else's write
  const res = await putIfUnchanged(client, key, Buffer.from('mine'), stale);
  assert.equal(res.ok, false);
  assert.ok(!res.ok && res.current);
  assert.equal(res.current.value.toString(), 'two');
  assert.equal(res.current.modRevision, other);
  assert.equal(res.current.version, 2);
  const now = await getValue(client, key);
  assert.equal(now?.value.toString(), 'two', 'nothing written');
  assert.equal(now?.modRevision, other);
  assert.equal(etcdctl('get', key, '--print-value-only').trim(), 'two');

  const ok = await putIfUnchanged(client, key, Buffer.from('mine'), other);
  assert.ok(ok.ok);
  const after = await getValue(client, key);
  assert.equal(after?.value.toString(), 'mine');
  assert.equal(after?.modRevision, ok.revision);
});

test('mod revision 0 means "must not exist"; createKey refuses an existing key', async () => {
  const key = `${root}fresh`;
  const res = await putIfUnchanged(client, key, Buffer.from('a'), '0');
  assert.ok(res.ok);
  const again = await putIfUnchanged(client, key, Buffer.from('b'), '0');
  assert.ok(!again.ok && again.current?.value.toString() === 'a');
  const dup = await createKey(client, key, Buffer.from('c'));
  assert.equal(dup.ok, false);
  assert.equal((await getValue(client, key))?.value.toString(), 'a');
  const missing = await putIfUnchanged(client, `${root}never`, Buffer.from('x'), '5');
  assert.deepEqual(missing, {ok: false}, 'no current value for a key that does not exist');
  assert.equal(await getValue(client, `${root}never`), undefined);
});

test('createKey with a TTL puts the key under a new lease; editing it keeps the lease', async () => {
  const key = `${root}ttl`;
  const res = await createKey(client, key, Buffer.from('leased'), 600);
  assert.ok(res.ok && res.lease);
  made.push(res.lease);
  const kv = await getValue(client, key);
  assert.equal(kv?.lease, res.lease);
  const ttl = etcdctl('lease', 'timetolive', res.lease, '--keys');
  assert.match(ttl, new RegExp(`granted with TTL\\(600s\\)`));
  assert.match(ttl, new RegExp(key));
  const edit = await putIfUnchanged(client, key, Buffer.from('edited'), kv!.modRevision);
  assert.ok(edit.ok);
  assert.equal((await getValue(client, key))?.lease, res.lease, 'still attached');

  // a refused create revokes the lease it granted
  const before = (await leases(client)).length;
  const dup = await createKey(client, key, Buffer.from('again'), 600);
  assert.equal(dup.ok, false);
  assert.equal((await leases(client)).length, before, 'no lease left behind');
});

test('deleteKey, unconditionally and only if unchanged', async () => {
  const key = `${root}del-one`;
  const rev = await put(key, '1');
  await put(key, '2');
  assert.deepEqual((await deleteKey(client, key, rev)).deleted, 0, 'changed since: kept');
  assert.ok(await getValue(client, key));
  const r = await deleteKey(client, key);
  assert.equal(r.deleted, 1);
  assert.equal(await getValue(client, key), undefined);
  assert.equal((await deleteKey(client, key)).deleted, 0);
});

test('deletePrefix deletes exactly the counted keys: a key added since makes it delete nothing', async () => {
  const prefix = `${root}bulk/`;
  const sibling = `${root}bulk2/keep`;
  await put(sibling, 'keep');
  for (let i = 0; i < 50; i++) await put(`${prefix}k${i}`, String(i));
  const counted = await countPrefix(client, prefix);
  assert.equal(counted.count, 50);
  await put(`${prefix}late`, 'added after the count');

  const refused = await deletePrefix(client, prefix, 50, {countedAt: counted.revision});
  assert.deepEqual({ok: refused.ok, count: refused.ok ? -1 : refused.count}, {ok: false, count: 51});
  assert.equal((await countPrefix(client, prefix)).count, 51, 'nothing deleted');

  // a changed value counts as a change too
  const recount = await countPrefix(client, prefix);
  await put(`${prefix}k3`, 'changed');
  assert.equal((await deletePrefix(client, prefix, 51, {countedAt: recount.revision})).ok, false);

  // counted without a revision: the fresh count must match
  const wrong = await deletePrefix(client, prefix, 50);
  assert.ok(!wrong.ok && wrong.count === 51);

  // a key deleted by someone else since the count: the rest go, and the figure says so
  const last = await countPrefix(client, prefix);
  await client.write('the test', (etcd) => etcd.kv.deleteRange({key: Buffer.from(`${prefix}k0`)}));
  const done = await deletePrefix(client, prefix, 51, {countedAt: last.revision});
  assert.ok(done.ok);
  assert.equal(done.deleted, 50);
  assert.equal((await countPrefix(client, prefix)).count, 0);
  assert.equal((await getValue(client, sibling))?.value.toString(), 'keep', 'a sibling prefix is untouched');
  assert.equal(etcdctl('get', prefix, '--prefix', '--keys-only').trim(), '', 'etcdctl sees none');
});

test('keyHistory: earlier values newest first, back to the first version', async () => {
  const key = `${root}history`;
  const revs: string[] = [];
  for (const v of ['v1', 'v2', 'v3', 'v4']) revs.push(await put(key, v));
  await put(`${root}history-other`, 'noise');
  const h = await keyHistory(client, key);
  assert.deepEqual(
    h.entries.map((e) => [e.value.toString(), e.modRevision, e.version]),
    [
      ['v4', revs[3], 4],
      ['v3', revs[2], 3],
      ['v2', revs[1], 2],
      ['v1', revs[0], 1],
    ],
  );
  assert.deepEqual({compacted: h.compacted, complete: h.complete, truncated: h.truncated}, {compacted: false, complete: true, truncated: false});
  const two = await keyHistory(client, key, {limit: 2});
  assert.deepEqual(two.entries.map((e) => e.value.toString()), ['v4', 'v3']);
  assert.equal(two.truncated, true);

  // a key deleted and created again: this life only
  await client.write('the test', (etcd) => etcd.kv.deleteRange({key: Buffer.from(key)}));
  await put(key, 'reborn');
  const reborn = await keyHistory(client, key);
  assert.deepEqual(reborn.entries.map((e) => e.value.toString()), ['reborn']);
  assert.equal(reborn.complete, true);
  assert.deepEqual((await keyHistory(client, `${root}no-such-key`)).entries, []);
});

test('keyHistory stops at the compaction point and says so', async () => {
  const key = `${root}history-compacted`;
  await put(key, 'old-1');
  await put(key, 'old-2');
  const keep = await put(key, 'kept');
  etcdctl('compaction', keep);
  const latest = await put(key, 'latest');
  const h = await keyHistory(client, key);
  assert.deepEqual(h.entries.map((e) => e.value.toString()), ['latest', 'kept']);
  assert.equal(h.entries[0].modRevision, latest);
  assert.equal(h.compacted, true);
  assert.equal(h.complete, false);
});

test('leases: the seeded lease is listed with its key, as etcdctl sees it', async () => {
  const list = await leases(client);
  const theirs = etcdctl('lease', 'list').trim().split('\n').slice(1).sort();
  assert.deepEqual(list.map((l) => l.id).sort(), theirs);
  const seeded = list.find((l) => l.keys.some((k) => k.toString() === '/registry/masterleases/10.0.0.10'));
  assert.ok(seeded, 'the seeded lease holds /registry/masterleases/10.0.0.10');
  assert.equal(seeded.grantedTtl, 3600);
  assert.ok(seeded.remainingTtl > 0 && seeded.remainingTtl <= 3600);
  assert.equal((await getValue(client, '/registry/masterleases/10.0.0.10'))?.lease, seeded.id);
});

test('revokeLease deletes the keys under it', async () => {
  const key = `${root}revoke-me`;
  const res = await createKey(client, key, Buffer.from('bye'), 300);
  assert.ok(res.ok && res.lease);
  made.push(res.lease);
  await revokeLease(client, res.lease);
  assert.equal(await getValue(client, key), undefined);
  assert.ok(!(await leases(client)).some((l) => l.id === res.lease));
  await assert.rejects(revokeLease(client, res.lease), (e: unknown) => e instanceof UndockError && e.kind === 'not-found');
});

test('a read-only client refuses every write before sending it', async () => {
  const key = `${root}ro`;
  const rev = await put(key, 'original');
  const counted = await countPrefix(client, root);
  const seeded = (await leases(client))[0];
  const refusals: Array<[string, Promise<unknown>]> = [
    ['putIfUnchanged', putIfUnchanged(readonlyClient, key, Buffer.from('x'), rev)],
    ['createKey', createKey(readonlyClient, `${root}ro-new`, Buffer.from('x'))],
    ['createKey with TTL', createKey(readonlyClient, `${root}ro-ttl`, Buffer.from('x'), 60)],
    ['deleteKey', deleteKey(readonlyClient, key)],
    ['deletePrefix', deletePrefix(readonlyClient, root, counted.count)],
    ['revokeLease', revokeLease(readonlyClient, seeded?.id ?? '1')],
  ];
  for (const [what, p] of refusals) {
    await assert.rejects(p, (e: unknown) => e instanceof UndockError && e.kind === 'readonly' && /--readonly/.test(e.line), what);
  }
  assert.equal((await getValue(client, key))?.modRevision, rev, 'the key is untouched');
  assert.equal(await getValue(client, `${root}ro-new`), undefined);
  assert.equal((await countPrefix(client, root)).count, counted.count);
  assert.equal((await leases(client)).length > 0, true, 'the seeded lease is still there');
  // reads work read-only
  assert.equal((await getValue(readonlyClient, key))?.value.toString(), 'original');
});
