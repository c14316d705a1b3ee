import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import {after, test} from 'node:test';
import type {IRequestOp} from 'etcd3';
import {UndockError} from '../../source/data/errors.js';
import {EtcdClient} from '../../source/data/etcd/client.js';
import {countPrefix, getValue, leafValueSizes, prefixRangeEnd, rangeKeys, sizeMapKey} from '../../source/data/etcd/keys.js';
import {v2Available, v2List} from '../../source/data/etcd/v2.js';
import {describeValue} from '../../source/data/values/decode.js';
import {stringField, type FieldNode} from '../../source/data/values/protobuf.js';
import {sandboxEnv} from '../helpers/sandbox-env.js';
import {needsShared, sharedFile} from '../helpers/shared-testdata.js';

const env = sandboxEnv();
const endpoints = env.etcdEndpoints.split(',');
const client = new EtcdClient(endpoints);
const root = `/undock-test-${process.pid}/keys/`;

after(async () => {
  await client.write('the test', (etcd) => etcd.kv.deleteRange({key: Buffer.from(root), range_end: prefixRangeEnd(Buffer.from(root))}));
  client.close();
});

function etcdctl(...args: string[]): string {
  return execFileSync('etcdctl', args, {encoding: 'utf8', env: {...process.env, ETCDCTL_API: '3'}, maxBuffer: 256 * 1024 * 1024});
}

interface EtcdctlGet {
  header: {revision: number};
  kvs?: Array<{key: string; create_revision: number; mod_revision: number; version: number}>;
  count: number;
}

/** etcdctl's own keys-only listing of a prefix at a revision, decoded from its JSON output. */
function etcdctlKeys(prefix: string, revision: string): Array<{key: string; mod: string}> {
  const out = JSON.parse(etcdctl('get', prefix, '--prefix', '--keys-only', `--rev=${revision}`, '-w', 'json')) as EtcdctlGet;
  return (out.kvs ?? []).map((kv) => ({key: Buffer.from(kv.key, 'base64').toString('latin1'), mod: String(kv.mod_revision)}));
}

/** Writes keys in transactions of 100 puts (etcd allows 128 operations per transaction). */
async function writeBatched(keys: string[], value: (i: number) => Buffer): Promise<void> {
  for (let i = 0; i < keys.length; i += 100) {
    const success: IRequestOp[] = keys.slice(i, i + 100).map((k, j) => ({request_put: {key: Buffer.from(k), value: value(i + j)}}));
    await client.write('the test', (etcd) => etcd.kv.txn({compare: [], success, failure: []}));
  }
}

const bigPrefix = `${root}big/`;
const bigKeys = Array.from({length: 20_000}, (_, i) => `${bigPrefix}ns-${String(i % 40).padStart(2, '0')}/obj-${String(i).padStart(5, '0')}`);

test('a paged range of 20,000 keys equals etcdctl keys-only listing at the same revision', async () => {
  await writeBatched(bigKeys, (i) => Buffer.from(`value ${i}`));
  const pages: number[] = [];
  let total = -1;
  const res = await rangeKeys(client, bigPrefix, {
    pageSize: 1000,
    onPage: (keys, progress) => {
      pages.push(keys.length);
      total = progress.total;
    },
  });
  assert.equal(res.keys.length, 20_000);
  assert.equal(pages.length, 20, 'twenty pages of 1000');
  assert.equal(total, 20_000, 'the first page reports the total');
  const theirs = etcdctlKeys(bigPrefix, res.revision);
  assert.equal(theirs.length, 20_000);
  assert.deepEqual(
    res.keys.map((k) => ({key: k.key.toString('latin1'), mod: k.modRevision})),
    theirs,
  );
  assert.deepEqual(res.keys.map((k) => k.key.toString()).slice(0, 2), [...bigKeys].sort().slice(0, 2));
  assert.equal(res.keys[0].valueSize, undefined, 'keys-only ranges carry no value size');
  // the default pages start small and double (a fast first level, few requests overall)
  const growing: number[] = [];
  const again = await rangeKeys(client, bigPrefix, {revision: res.revision, onPage: (keys) => growing.push(keys.length)});
  assert.deepEqual(growing, [1000, 2000, 4000, 8000, 5000]);
  assert.deepEqual(again.keys.map((k) => k.key.toString()), res.keys.map((k) => k.key.toString()));
  assert.equal(res.keys[0].version, 1);
  assert.equal(res.keys[0].lease, '0');
});

test('an aborted load stops between pages', async () => {
  const abort = new AbortController();
  let pages = 0;
  const load = rangeKeys(client, bigPrefix, {
    pageSize: 1000,
    signal: abort.signal,
    onPage: () => {
      pages++;
      abort.abort();
    },
  });
  await assert.rejects(load, (e: unknown) => e instanceof Error && e.name === 'AbortError');
  assert.equal(pages, 1);
});

test('every page is pinned to the first page revision while a writer adds keys', async () => {
  const prefix = `${bigPrefix}ns-07/`;
  let stop = false;
  const writes: Array<{revision: bigint; doneBeforeRangeEnded: boolean}> = [];
  let rangeEnded = false;
  let n = 0;
  const writer = (async () => {
    while (!stop) {
      // keys that sort among the listed ones, so that a later page would pick them up
      const r = await client.write('the test', (etcd) => etcd.kv.put({key: Buffer.from(`${prefix}obj-${String(n++ * 40 + 7).padStart(5, '0')}-new`), value: Buffer.from('x')}));
      writes.push({revision: BigInt(r.header.revision), doneBeforeRangeEnded: !rangeEnded});
    }
  })();
  await new Promise((r) => setTimeout(r, 20));
  const res = await rangeKeys(client, prefix, {pageSize: 20});
  rangeEnded = true;
  stop = true;
  await writer;
  const revision = BigInt(res.revision);
  assert.ok(
    writes.some((w) => w.revision > revision && w.doneBeforeRangeEnded),
    'a write landed after the first page and before the last one',
  );
  assert.deepEqual(
    res.keys.map((k) => ({key: k.key.toString('latin1'), mod: k.modRevision})),
    etcdctlKeys(prefix, res.revision),
    'the listing is the keyspace at the first page revision',
  );
  assert.ok(res.keys.every((k) => BigInt(k.modRevision) <= revision), 'nothing newer than the pinned revision');
  const now = await countPrefix(client, prefix);
  assert.ok(now.count > res.keys.length, 'the writer added keys that the pinned listing does not show');
  assert.equal((await countPrefix(client, prefix, res.revision)).count, res.keys.length);
});

test('the whole keyspace (empty prefix) pages to the count at its revision', async () => {
  const res = await rangeKeys(client, '', {pageSize: 5000});
  const count = await countPrefix(client, '', res.revision);
  assert.equal(res.keys.length, count.count);
  const sorted = res.keys.every((k, i) => i === 0 || Buffer.compare(res.keys[i - 1].key, k.key) < 0);
  assert.ok(sorted, 'in key order, no key twice');
});

test('values with keysOnly false, value sizes of chosen leaves, getValue and countPrefix', async () => {
  const prefix = `${root}small/`;
  await writeBatched([`${prefix}a`, `${prefix}b`, `${prefix}dir/c`], (i) => Buffer.alloc(10 * (i + 1), 0x41));
  const full = await rangeKeys(client, prefix, {keysOnly: false});
  assert.deepEqual(
    full.keys.map((k) => [k.key.toString(), k.valueSize]),
    [
      [`${prefix}a`, 10],
      [`${prefix}b`, 20],
      [`${prefix}dir/c`, 30],
    ],
  );
  const leaves = full.keys.filter((k) => !k.key.toString().slice(prefix.length).includes('/')).map((k) => k.key);
  const sizes = await leafValueSizes(client, [...leaves, Buffer.from(`${prefix}missing`)], full.revision);
  assert.deepEqual([...sizes.entries()], [
    [sizeMapKey(Buffer.from(`${prefix}a`)), 10],
    [sizeMapKey(Buffer.from(`${prefix}b`)), 20],
  ]);
  const a = await getValue(client, `${prefix}a`);
  assert.equal(a?.value.toString(), 'A'.repeat(10));
  assert.equal(a?.modRevision, full.keys[0].modRevision);
  assert.equal(a?.version, 1);
  assert.equal(await getValue(client, `${prefix}missing`), undefined);
  assert.deepEqual((await countPrefix(client, prefix)).count, 3);
  // more than one transaction's worth of keys (128 reads per transaction)
  const many = bigKeys.slice(0, 300).map((k) => Buffer.from(k));
  const manySizes = await leafValueSizes(client, many);
  assert.equal(manySizes.size, 300);
  assert.equal(manySizes.get(sizeMapKey(many[299])), Buffer.byteLength('value 299'));
});

test('a Kubernetes protobuf value read back from etcd decodes to a recognisable Pod', {skip: needsShared('k8s/pod.storage.bin', 'k8s/pod.json')}, async () => {
  const bin = fs.readFileSync(sharedFile('k8s/pod.storage.bin'));
  const json = JSON.parse(fs.readFileSync(sharedFile('k8s/pod.json'), 'utf8'));
  const key = `${root}registry/pods/default/pi-dqtsw`;
  await client.write('the test', (etcd) => etcd.kv.put({key: Buffer.from(key), value: bin}));
  const kv = await getValue(client, key);
  assert.ok(kv);
  assert.ok(kv.value.equals(bin), 'etcd hands back the bytes as stored');
  const d = describeValue(kv.value);
  assert.equal(d.kind, 'k8s');
  assert.equal(d.k8s?.apiVersion, 'v1');
  assert.equal(d.k8s?.kind, 'Pod');
  const meta = d.k8s!.object.find((f) => f.field === 1)!.value as FieldNode[];
  assert.equal(stringField(meta, 1), json.metadata.name);
  assert.equal(stringField(meta, 3), json.metadata.namespace);
});

test('without --enable-v2 the v2 API is reported as absent', async () => {
  assert.equal(await v2Available(endpoints[0]), false);
  await assert.rejects(v2List(endpoints[0], '/'), (e: unknown) => {
    assert.ok(e instanceof UndockError);
    assert.equal(e.kind, 'not-found');
    assert.equal(e.message, `the server at ${endpoints[0]} has no v2 API`);
    assert.match(e.line, /--enable-v2/);
    return true;
  });
});

test('an unreachable endpoint is an unavailable error naming it', async () => {
  const dead = new EtcdClient(['http://127.0.0.1:1']);
  try {
    await assert.rejects(countPrefix(dead, '/x'), (e: unknown) => {
      assert.ok(e instanceof UndockError);
      assert.equal(e.kind, 'unavailable');
      assert.match(e.message, /127\.0\.0\.1:1/);
      return true;
    });
  } finally {
    dead.close();
  }
});
