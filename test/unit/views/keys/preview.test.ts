import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {EtcdClient} from '../../../../source/data/etcd/client.js';
import {KeyTreeFeed} from '../../../../source/views/keys/feed.js';
import {SETTLE_MS, shownPreview} from '../../../../source/views/keys/feed-preview.js';
import {toLatin1} from '../../../../source/views/keys/tree-model.js';

/** An etcd whose reads of /slow never answer (a stopped daemon), and of anything else answer at once; `reads` lists the keys read. */
function etcd(reads: string[] = []): EtcdClient {
  const range = async (req: {key: Buffer}) => {
    reads.push(req.key.toString());
    if (req.key.toString() === '/slow') return new Promise(() => {});
    return {header: {revision: '5'}, count: '1', more: false, kvs: [{key: req.key, value: Buffer.from(`{"body":"of ${req.key}"}`), version: '1', create_revision: '2', mod_revision: '3', lease: '0'}]};
  };
  return {endpoints: ['http://fake:2379'], reads: {range}} as unknown as EtcdClient;
}

const settle = (ms = 10) => new Promise((r) => setTimeout(r, ms));

test("a preview whose read has not answered shows nothing of the previous key's value", async () => {
  const feed = new KeyTreeFeed(etcd());
  const fast = toLatin1(Buffer.from('/fast'));
  const slow = toLatin1(Buffer.from('/slow'));
  feed.select(fast);
  await settle();
  assert.match(shownPreview(feed.preview.getState(), fast)?.description?.text ?? '', /of \/fast/);
  feed.select(slow);
  await settle(SETTLE_MS + 20);
  const p = shownPreview(feed.preview.getState(), slow)!;
  assert.equal(p.key, '/slow');
  assert.equal(p.loading, true);
  assert.equal(p.value, undefined);
  assert.equal(p.description, undefined);
  assert.equal(p.info, undefined);
  assert.equal(shownPreview(feed.preview.getState(), undefined), undefined, 'a folder selected: no preview');
  feed.stop();
});

test('a selection moving from row to row (a held key) reads the value of the row it rests on, not of every row passed', async () => {
  const reads: string[] = [];
  const feed = new KeyTreeFeed(etcd(reads));
  for (const k of ['/a', '/b', '/c', '/d']) {
    feed.select(k);
    await settle(5);
  }
  await settle(SETTLE_MS + 30);
  assert.deepEqual(reads, ['/a', '/d']);
  assert.match(shownPreview(feed.preview.getState(), '/d')?.description?.text ?? '', /of \/d/);
  // Selected alone after a rest: read at once.
  await settle(SETTLE_MS);
  feed.select('/e');
  await settle(5);
  assert.deepEqual(reads, ['/a', '/d', '/e']);
  feed.stop();
});
