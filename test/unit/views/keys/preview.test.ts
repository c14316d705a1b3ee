import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {EtcdClient} from '../../../../source/data/etcd/client.js';
import {KeyTreeFeed} from '../../../../source/views/keys/feed.js';
import {toLatin1} from '../../../../source/views/keys/tree-model.js';

/** An etcd whose reads of /slow never answer (a stopped daemon), and of anything else answer at once. */
function etcd(): EtcdClient {
  const range = async (req: {key: Buffer}) => {
    if (req.key.toString() === '/slow') return new Promise(() => {});
    return {header: {revision: '5'}, count: '1', more: false, kvs: [{key: req.key, value: Buffer.from(`{"body":"of ${req.key}"}`), version: '1', create_revision: '2', mod_revision: '3', lease: '0'}]};
  };
  return {endpoints: ['http://fake:2379'], reads: {range}} as unknown as EtcdClient;
}

const settle = () => new Promise((r) => setTimeout(r, 10));

test("a preview whose read has not answered shows nothing of the previous key's value", async () => {
  const feed = new KeyTreeFeed(etcd());
  feed.select(toLatin1(Buffer.from('/fast')));
  await settle();
  assert.match(feed.preview.getState().description?.text ?? '', /of \/fast/);
  feed.select(toLatin1(Buffer.from('/slow')));
  await settle();
  const p = feed.preview.getState();
  assert.equal(p.key, '/slow');
  assert.equal(p.loading, true);
  assert.equal(p.value, undefined);
  assert.equal(p.description, undefined);
  assert.equal(p.info, undefined);
  feed.stop();
});
