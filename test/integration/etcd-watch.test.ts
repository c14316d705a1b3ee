import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {after, test} from 'node:test';
import {UndockError} from '../../source/data/errors.js';
import {EtcdClient} from '../../source/data/etcd/client.js';
import {EtcdCompactedError, countPrefix, getValue, prefixRangeEnd, rangeKeys} from '../../source/data/etcd/keys.js';
import {watchPrefix, type WatchEvent} from '../../source/data/etcd/watch.js';
import {sandboxEnv} from '../helpers/sandbox-env.js';

const env = sandboxEnv();
const client = new EtcdClient(env.etcdEndpoints.split(','));
const root = `/undock-test-${process.pid}/watch/`;

after(async () => {
  await client.write('the test', (etcd) => etcd.kv.deleteRange({key: Buffer.from(root), range_end: prefixRangeEnd(Buffer.from(root))}));
  client.close();
});

function etcdctl(...args: string[]): string {
  return execFileSync('etcdctl', args, {encoding: 'utf8', env: {...process.env, ETCDCTL_API: '3'}});
}

async function until(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const t0 = Date.now();
  while (!check()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Runs `jobs` with at most `width` in flight. */
async function parallel<T>(width: number, jobs: Array<() => Promise<T>>): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({length: width}, async () => {
      while (next < jobs.length) {
        const i = next++;
        out[i] = await jobs[i]();
      }
    }),
  );
  return out;
}

test('2,000 fast puts and 500 deletes arrive in revision order, each exactly once', async () => {
  const prefix = `${root}fast/`;
  const start = await countPrefix(client, prefix);
  const seen: WatchEvent[] = [];
  const batches: string[] = [];
  const errors: unknown[] = [];
  const watch = watchPrefix(client, prefix, (BigInt(start.revision) + 1n).toString(), {
    onEvents: (events, revision) => {
      seen.push(...events);
      batches.push(revision);
    },
    onCompacted: () => errors.push(new Error('compacted')),
    onError: (e) => errors.push(e),
  });
  try {
    const key = (i: number) => `${prefix}key-${String(i).padStart(4, '0')}`;
    // written 16 at a time: etcd orders them, the expected sequence is what the write responses say
    const puts = await parallel(
      16,
      Array.from({length: 2000}, (_, i) => async () => {
        const r = await client.write('the test', (etcd) => etcd.kv.put({key: Buffer.from(key(i)), value: Buffer.from(`v${i}`)}));
        return {type: 'put' as const, key: key(i), rev: r.header.revision, value: `v${i}`};
      }),
    );
    const deletes = await parallel(
      16,
      Array.from({length: 500}, (_, j) => async () => {
        const r = await client.write('the test', (etcd) => etcd.kv.deleteRange({key: Buffer.from(key(j * 4))}));
        return {type: 'delete' as const, key: key(j * 4), rev: r.header.revision, value: undefined};
      }),
    );
    // a key outside the prefix is not seen
    await client.write('the test', (etcd) => etcd.kv.put({key: Buffer.from(`${root}fast-sibling`), value: Buffer.from('no')}));
    const expected = [...puts, ...deletes].sort((a, b) => Number(BigInt(a.rev) - BigInt(b.rev)));
    const lastRev = expected[expected.length - 1].rev;
    await until('the last write', () => seen.length > 0 && seen[seen.length - 1].modRevision === lastRev);
    await new Promise((r) => setTimeout(r, 100)); // anything doubled or stray would show up by now
    assert.deepEqual(errors, []);
    assert.equal(seen.length, 2500);
    assert.deepEqual(
      seen.map((e) => ({type: e.type, key: e.key.toString(), rev: e.modRevision, value: e.value?.toString()})),
      expected,
    );
    assert.equal(batches[batches.length - 1], lastRev, 'onEvents reports the last revision delivered');
    const del = seen.find((e) => e.type === 'delete')!;
    assert.equal(del.value, undefined);
    assert.equal(del.version, 0);
    const put = seen.find((e) => e.type === 'put')!;
    assert.equal(put.version, 1);
    assert.equal(put.createRevision, put.modRevision);
  } finally {
    watch.close();
  }
});

test('a watch started after a load sees exactly the writes after the load revision', async () => {
  const prefix = `${root}load/`;
  await client.write('the test', (etcd) => etcd.kv.put({key: Buffer.from(`${prefix}before`), value: Buffer.from('1')}));
  const loaded = await rangeKeys(client, prefix);
  await client.write('the test', (etcd) => etcd.kv.put({key: Buffer.from(`${prefix}between`), value: Buffer.from('2')})); // after the load, before the watch
  const seen: string[] = [];
  const watch = watchPrefix(client, prefix, (BigInt(loaded.revision) + 1n).toString(), {
    onEvents: (events) => seen.push(...events.map((e) => `${e.type} ${e.key.toString().slice(prefix.length)}`)),
    onCompacted: () => assert.fail('not compacted'),
    onError: (e) => assert.fail(e),
  });
  try {
    await client.write('the test', (etcd) => etcd.kv.put({key: Buffer.from(`${prefix}after`), value: Buffer.from('3')}));
    await until('two events', () => seen.length >= 2);
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(seen, ['put between', 'put after']);
  } finally {
    watch.close();
  }
});

test('a watch from a compacted revision calls onCompacted with the compaction revision', async () => {
  const prefix = `${root}compact/`;
  const before = await countPrefix(client, prefix);
  for (let i = 0; i < 5; i++) await client.write('the test', (etcd) => etcd.kv.put({key: Buffer.from(`${prefix}k${i}`), value: Buffer.from(String(i))}));
  const head = (await countPrefix(client, prefix)).revision;
  etcdctl('compaction', head);
  let compactedAt: string | undefined = 'not called';
  let events = 0;
  const errors: UndockError[] = [];
  const watch = watchPrefix(client, prefix, (BigInt(before.revision) + 1n).toString(), {
    onEvents: (e) => (events += e.length),
    onCompacted: (rev) => (compactedAt = rev),
    onError: (e) => errors.push(e),
  });
  try {
    await until('onCompacted', () => compactedAt !== 'not called', 10_000);
    assert.equal(compactedAt, head);
    assert.equal(events, 0, 'no events from a compacted start');
    assert.deepEqual(errors, []);
    // the history before the compaction is gone for reads too
    await assert.rejects(rangeKeys(client, prefix, {revision: before.revision}), EtcdCompactedError);
    await assert.rejects(getValue(client, `${prefix}k0`, before.revision), EtcdCompactedError);
  } finally {
    watch.close();
  }
  // after a reload at the current revision, watching works again
  const reload = await rangeKeys(client, prefix);
  const seen: string[] = [];
  const again = watchPrefix(client, prefix, (BigInt(reload.revision) + 1n).toString(), {
    onEvents: (e) => seen.push(...e.map((x) => x.key.toString())),
    onCompacted: () => assert.fail('not compacted now'),
    onError: (e) => assert.fail(e),
  });
  try {
    await client.write('the test', (etcd) => etcd.kv.put({key: Buffer.from(`${prefix}fresh`), value: Buffer.from('x')}));
    await until('the fresh key', () => seen.length === 1);
    assert.deepEqual(seen, [`${prefix}fresh`]);
  } finally {
    again.close();
  }
});

test('a catch-up bigger than etcd sends in one message comes in fragments and is delivered whole', async () => {
  const prefix = `${root}fragments/`;
  const start = await countPrefix(client, prefix);
  // three 1 MB values: one catch-up response of ~3 MB, over etcd's 1.5 MiB limit, so etcd fragments it
  for (let i = 0; i < 3; i++) await client.write('the test', (etcd) => etcd.kv.put({key: Buffer.from(`${prefix}${i}`), value: Buffer.alloc(1_000_000, 0x41 + i)}));
  const calls: WatchEvent[][] = [];
  const watch = watchPrefix(client, prefix, (BigInt(start.revision) + 1n).toString(), {
    onEvents: (events) => calls.push(events),
    onCompacted: () => assert.fail('not compacted'),
    onError: (e) => assert.fail(e),
  });
  try {
    await until('three events', () => calls.flat().length >= 3);
    assert.equal(calls.length, 1, 'one delivery, the fragments joined');
    assert.deepEqual(
      calls[0].map((e) => [e.key.toString().slice(prefix.length), e.value!.length, e.value![0]]),
      [
        ['0', 1_000_000, 0x41],
        ['1', 1_000_000, 0x42],
        ['2', 1_000_000, 0x43],
      ],
    );
  } finally {
    watch.close();
  }
});

test('close stops delivery', async () => {
  const prefix = `${root}close/`;
  const start = await countPrefix(client, prefix);
  let events = 0;
  const watch = watchPrefix(client, prefix, (BigInt(start.revision) + 1n).toString(), {
    onEvents: (e) => (events += e.length),
    onCompacted: () => undefined,
    onError: () => undefined,
  });
  await client.write('the test', (etcd) => etcd.kv.put({key: Buffer.from(`${prefix}a`), value: Buffer.from('1')}));
  await until('the first event', () => events === 1);
  watch.close();
  await client.write('the test', (etcd) => etcd.kv.put({key: Buffer.from(`${prefix}b`), value: Buffer.from('2')}));
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(events, 1);
});
