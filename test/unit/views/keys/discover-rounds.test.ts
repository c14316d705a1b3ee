import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {EtcdClient} from '../../../../source/data/etcd/client.js';
import {listChildren} from '../../../../source/data/etcd/discover.js';
import {expectedChildren} from './expected-children.js';

/**
 * An etcd whose keys are each put at a revision, answering a turn after each request (so the order
 * of requests and answers shows), at the request's revision or its latest. Each request records how
 * many keys etcd 3.4 walks for it (the whole range, to count it) and which answers were in by then.
 */
function versionedEtcd(initial: string[]) {
  const puts: Array<{key: Buffer; rev: number}> = initial.map((k) => ({key: Buffer.from(k, 'latin1'), rev: 10}));
  let revision = 10;
  const answered: number[] = [];
  const requests: Array<{key: string; walked: number; answeredBefore: number[]; revision?: string}> = [];
  let onAnswer: (n: number) => void = () => {};
  const range = async (req: {key: Buffer; range_end: Buffer; limit?: number; revision?: string}) => {
    const n = requests.length;
    const at = requests.push({key: req.key.toString('latin1'), walked: 0, answeredBefore: [...answered], revision: req.revision});
    await new Promise((r) => setImmediate(r));
    const rev = req.revision ? Number(req.revision) : revision;
    const toEnd = req.range_end.length === 1 && req.range_end[0] === 0;
    const inRange = puts
      .filter((p) => p.rev <= rev && Buffer.compare(p.key, req.key) >= 0 && (toEnd || Buffer.compare(p.key, req.range_end) < 0))
      .map((p) => p.key)
      .sort(Buffer.compare);
    requests[at - 1]!.walked = inRange.length;
    const limit = req.limit || inRange.length;
    const kvs = inRange.slice(0, limit).map((key) => ({key, value: Buffer.alloc(0), version: '1', create_revision: '3', mod_revision: '4', lease: '0'}));
    answered.push(n);
    onAnswer(n);
    return {header: {revision: String(rev)}, count: String(inRange.length), more: inRange.length > limit, kvs};
  };
  return {
    client: {endpoints: ['fake'], reads: {range}} as unknown as EtcdClient,
    requests,
    put: (key: string) => puts.push({key: Buffer.from(key, 'latin1'), rev: ++revision}),
    afterAnswer: (f: (n: number) => void) => (onAnswer = f),
    keysAt: (rev: number) => puts.filter((p) => p.rev <= rev).map((p) => p.key.toString('latin1')),
  };
}

const expected = (keys: string[], prefix: string) => [...expectedChildren(keys, prefix)];

const big = Array.from({length: 20_000}, (_, i) => `/registry/events/e${String(i).padStart(5, '0')}`);
const keyspace = [...big, '/registry/pods/a', '/registry/pods/b', '/registry/apps/x', 'config/one', 'zeta'];

test("the tree's root level asks everything at once: nothing waits for etcd's walk of the big folder", async () => {
  const etcd = versionedEtcd(keyspace);
  const r = await listChildren(etcd.client, Buffer.alloc(0), Buffer.from('/'));
  assert.deepEqual(r.children.map((c) => [c.key.toString(), c.count]), expected(keyspace, ''));
  assert.equal(r.total, keyspace.length);
  const walks = etcd.requests.filter((q) => q.walked > 10_000);
  assert.equal(walks.length, 1, `one walk of the big folder: ${JSON.stringify(etcd.requests.map((q) => q.walked))}`);
  // Before, the intervals were asked after that walk's answer: a second round trip.
  const late = etcd.requests.filter((q) => q.answeredBefore.length > 0);
  assert.deepEqual(late, [], 'every request was made before any answer came');
});

test('a big folder (its parent counted it) is cut from its first request; a small one is one request', async () => {
  const etcd = versionedEtcd(keyspace);
  const r = await listChildren(etcd.client, Buffer.from('/registry/'), Buffer.from('/'), {expected: big.length + 3});
  assert.deepEqual(r.children.map((c) => [c.key.toString(), c.count]), expected(keyspace, '/registry/'));
  const heavy = etcd.requests.findIndex((q) => q.walked > 10_000);
  assert.equal(etcd.requests.filter((q) => q.walked > 10_000).length, 1);
  // Only what follows events/ in its own interval ([e, i): more children could be there) waits for its walk.
  const late = etcd.requests.filter((q) => q.answeredBefore.includes(heavy)).map((q) => q.key);
  assert.deepEqual(late, ['/registry/events0']);
  const small = versionedEtcd(keyspace);
  const s = await listChildren(small.client, Buffer.from('/registry/pods/'), Buffer.from('/'), {expected: 2});
  assert.deepEqual(s.children.map((c) => c.key.toString()), ['/registry/pods/a', '/registry/pods/b']);
  assert.equal(small.requests.length, 1);
});

test('a write between the intervals\' answers: the level is read again where it was older, all of one revision', async () => {
  const etcd = versionedEtcd(keyspace);
  // The first answer is in when the write lands; the intervals answered after it read revision 11.
  etcd.afterAnswer((n) => n === 0 && etcd.put('/registry/pods/c'));
  const r = await listChildren(etcd.client, Buffer.alloc(0), Buffer.from('/'));
  assert.equal(r.revision, '11');
  assert.deepEqual(r.children.map((c) => [c.key.toString(), c.count]), expected(etcd.keysAt(11), ''));
  assert.equal(r.total, keyspace.length + 1);
  // The interval that answered at 10 was asked again at 11.
  assert.ok(etcd.requests.some((q) => q.revision === '11'), JSON.stringify(etcd.requests.map((q) => q.revision)));
});

test('asked at a revision, every interval reads at it', async () => {
  const etcd = versionedEtcd(keyspace);
  etcd.put('/registry/pods/c');
  const r = await listChildren(etcd.client, Buffer.alloc(0), Buffer.from('/'), {revision: '10'});
  assert.equal(r.revision, '10');
  assert.deepEqual(r.children.map((c) => [c.key.toString(), c.count]), expected(keyspace, ''));
  assert.ok(etcd.requests.every((q) => q.revision === '10'));
});
