import assert from 'node:assert/strict';
import {test} from 'node:test';
import {Health} from '../../../source/store/health.js';
import {fakeContext} from '../../helpers/render-app.js';

test("the header's etcd rev takes a newer revision from the watch, never an older one", () => {
  const health = new Health(fakeContext());
  const version = () => health.store.getState().etcd.version;
  health.store.setState({etcd: {status: 'up', version: '3.4.23 (cluster 3.4.0) v3 API leader abc rev 10'}});
  health.takeEtcdRevision('12');
  assert.equal(version(), '3.4.23 (cluster 3.4.0) v3 API leader abc rev 12');
  health.takeEtcdRevision('11');
  assert.equal(version(), '3.4.23 (cluster 3.4.0) v3 API leader abc rev 12', 'a late, older batch changes nothing');
  health.store.setState({etcd: {status: 'down', error: 'gone'}});
  health.takeEtcdRevision('13');
  assert.deepEqual(health.store.getState().etcd, {status: 'down', error: 'gone'}, 'a daemon marked down stays down');
});
