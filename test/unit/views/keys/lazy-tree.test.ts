import assert from 'node:assert/strict';
import {test} from 'node:test';
import fc from 'fast-check';
import type {EtcdClient} from '../../../../source/data/etcd/client.js';
import {listChildren} from '../../../../source/data/etcd/discover.js';
import {LazyTree, type TreeEvent} from '../../../../source/views/keys/lazy-tree.js';
import {expectedChildren as expected} from './expected-children.js';

/** An etcd of one revision over a sorted key list: ranges with limit and count as etcd answers them; every request is logged. */
function fakeEtcd(keys: string[], revision = 7) {
  const sorted = keys.map((k) => Buffer.from(k, 'latin1')).sort(Buffer.compare);
  const requests: Array<{key: string; limit: number; walked: number}> = [];
  const range = async (req: {key: Buffer; range_end: Buffer; limit?: number}) => {
    const toEnd = req.range_end.length === 1 && req.range_end[0] === 0;
    const inRange = sorted.filter((k) => Buffer.compare(k, req.key) >= 0 && (toEnd || Buffer.compare(k, req.range_end) < 0));
    // etcd 3.4 walks every key of the range to count it, whatever the limit.
    requests.push({key: req.key.toString('latin1'), limit: req.limit ?? 0, walked: inRange.length});
    const limit = req.limit || inRange.length;
    const kvs = inRange.slice(0, limit).map((key) => ({key, value: Buffer.alloc(0), version: '1', create_revision: '3', mod_revision: '4', lease: '0'}));
    return {header: {revision: String(revision)}, count: String(inRange.length), more: inRange.length > limit, kvs};
  };
  return {client: {endpoints: ['fake'], reads: {range}} as unknown as EtcdClient, requests};
}

async function loaded(client: EtcdClient, tree: LazyTree, prefix: string): Promise<void> {
  assert.ok(tree.beginLoad(prefix), `${prefix} can be loaded`);
  const r = await listChildren(client, Buffer.from(prefix, 'latin1'), Buffer.from('/'), {
    onBatch: (children, p) =>
      tree.addChildren(
        prefix,
        children.map((c) => ({path: c.key.toString('latin1'), folder: c.folder, count: c.count, info: c.meta && {version: 1, createRevision: 3, modRevision: 4, lease: '0'}})),
        Number(p.revision),
      ),
  });
  tree.finishLoad(prefix, Number(r.revision), r.total);
}

const shown = (tree: LazyTree, open: string[]) => {
  const rows = tree.rows(new Set(open));
  return rows.slice(0, rows.length).map((r) => [r.path, r.count] as const);
};

test('a folder is discovered and counted without reading its keys: the root level is one walk of the keyspace', async () => {
  const keys = [...Array.from({length: 5000}, (_, i) => `/big/k${String(i).padStart(4, '0')}`), '/a/x', '/a/y/z', 'config/one', '/'];
  const {client, requests} = fakeEtcd(keys);
  const r = await listChildren(client, Buffer.alloc(0), Buffer.from('/'));
  assert.deepEqual(r.children.map((c) => [c.key.toString(), c.count]), [['/', keys.length - 1], ['config/', 1]]);
  assert.equal(r.total, keys.length);
  // One walk of the keyspace (the first range counts it), the rest in intervals read at once.
  const walked = requests.reduce((a, r) => a + r.walked, 0);
  assert.ok(walked <= keys.length + 10, `${walked} keys walked for the root level`);
  assert.ok(requests.length <= 12, `${requests.length} requests for the root level`);
  const big = await listChildren(client, Buffer.from('/'), Buffer.from('/'));
  assert.deepEqual(big.children.map((c) => [c.key.toString(), c.count]), [['/', 1], ['/a/', 2], ['/big/', 5000]]);
});

test('a folder of many sub-folders is walked a few times by etcd 3.4, not once per sub-folder', async () => {
  // 52 sub-folders (a0/ .. z0/, a1/ .. z1/) of 200 keys each, as a /registry/ of a real cluster.
  const names = [...'abcdefghijklmnopqrstuvwxyz'].flatMap((l) => [`${l}0`, `${l}1`]);
  const keys = names.flatMap((n) => Array.from({length: 200}, (_, i) => `/r/${n}/k${i}`));
  const {client, requests} = fakeEtcd(keys);
  const r = await listChildren(client, Buffer.from('/r/'), Buffer.from('/'));
  assert.deepEqual(r.children.map((c) => [c.key.toString(), c.count]), [...expected(keys, '/r/')]);
  const walked = requests.reduce((a, x) => a + x.walked, 0);
  // One request per sub-folder from the cursor to the folder's end would walk about 52 * 10,400 / 2 keys.
  assert.ok(walked < keys.length * 8, `${walked} keys walked for ${keys.length} keys in ${names.length} sub-folders`);
});

test('a folder of leaves is listed a growing page at a time', async () => {
  const keys = Array.from({length: 20_000}, (_, i) => `/f/${String(i).padStart(5, '0')}`);
  const {client, requests} = fakeEtcd(keys);
  const r = await listChildren(client, Buffer.from('/f/'), Buffer.from('/'));
  assert.equal(r.children.length, 20_000);
  assert.ok(requests.length < 12, `${requests.length} requests`);
});

test('lazy tree: loads and watch events at any revisions count each key once (property)', async () => {
  const segment = fc.constantFrom('a', 'b', 'c', 'd');
  const keyArb = fc.array(segment, {minLength: 1, maxLength: 4}).map((s) => '/' + s.join('/'));
  await fc.assert(
    fc.asyncProperty(fc.uniqueArray(keyArb, {maxLength: 30}), fc.array(fc.tuple(keyArb, fc.boolean()), {maxLength: 30}), fc.array(fc.tuple(fc.nat(40), fc.nat(5)), {maxLength: 4}), async (initial, ops, openAt) => {
      // The keyspace at each revision: revision 10 is the initial one, each op one more.
      const states: string[][] = [initial];
      const events: TreeEvent[] = [];
      let now = new Set(initial);
      let rev = 10;
      ops.forEach(([key, del]) => {
        if (del && !now.has(key)) return;
        rev++;
        if (del) {
          now.delete(key);
          events.push({key, type: 'delete', revision: rev, delta: -1});
        } else {
          events.push({key, type: 'put', revision: rev, delta: now.has(key) ? 0 : 1, info: {version: 1, createRevision: rev, modRevision: rev, lease: '0'}});
          now.add(key);
        }
        states.push([...now]);
      });
      const atRev = (rev: number) => states[Math.min(states.length - 1, Math.max(0, rev - 10))]!;
      const tree = new LazyTree('/', '');
      await loaded(fakeEtcd(atRev(10), 10).client, tree, '');
      // Folders are opened between events, each read at the revision etcd is at then.
      const folders = ['/', '/a/', '/b/', '/a/b/', '/c/d/'];
      let e = 0;
      // etcd's revision only grows: a load that starts after another has ended reads at its revision or later.
      let lastLoadRev = 10;
      for (let step = 0; step <= events.length; step++) {
        // A load may read ahead of the watch (etcd is at a later revision than the events delivered so far).
        for (const [n, [at, lag]] of openAt.entries()) {
          if (at === step && tree.stateOf(folders[n % folders.length]!) === 'unloaded') {
            const ahead = Math.min(events.length, step + lag);
            const rev = Math.max(lastLoadRev, ahead === 0 ? 10 : events[ahead - 1]!.revision);
            lastLoadRev = rev;
            await loaded(fakeEtcd(atRev(rev), rev).client, tree, folders[n % folders.length]!);
          }
        }
        if (e < events.length) tree.apply(events[e++]!);
      }
      const final = [...now];
      assert.equal(tree.size, final.length);
      for (const f of ['', ...folders]) {
        if (tree.stateOf(f) !== 'loaded') continue;
        const want = expected(final, f);
        const rows = shown(tree, f === '' ? [] : f.split('/').slice(0, -1).map((_, i, a) => a.slice(0, i + 1).join('/') + '/'));
        for (const [child, count] of want) {
          const row = rows.find(([p]) => p === child);
          if (child.startsWith(f)) assert.deepEqual(row, [child, count], `${child} under ${f || 'the root'}`);
        }
      }
    }),
    {numRuns: 200},
  );
});

test('rows are spans: the children of open folders in key order, a folder row carrying its count', async () => {
  const keys = ['/a/1', '/a/2', '/b/c/1', '/b/c/2', '/b/d', 'z'];
  const {client} = fakeEtcd(keys);
  const tree = new LazyTree('/', '');
  await loaded(client, tree, '');
  await loaded(client, tree, '/');
  await loaded(client, tree, '/b/');
  const rows = tree.rows(new Set(['/', '/b/']));
  assert.deepEqual(
    rows.slice(0, rows.length).map((r) => `${'  '.repeat(r.depth)}${r.name}${r.folder ? ` ${r.count}` : ''}`),
    ['/ 5', '  a/ 2', '  b/ 3', '    c/ 2', '    d', 'z'],
  );
  assert.equal(rows.at(2)?.expanded, true);
  assert.equal(rows.at(6), undefined);
});
