import assert from 'node:assert/strict';
import {test} from 'node:test';
import {AlarmWatch} from '../../../source/store/etcd-alarms.js';
import {fakeContext} from '../../helpers/render-app.js';

test('alarms are asked only while etcd is up, and the store changes only when the set of alarms does', async () => {
  let errors: string[] = [];
  let calls = 0;
  const status = async () => {
    calls++;
    return {errors, header: {revision: '1'}};
  };
  const ctx = fakeContext({}, {etcd: {reads: {status}}});
  let up = false;
  const watch = new AlarmWatch(ctx, () => up);
  let changes = 0;
  watch.store.subscribe(() => changes++);
  await watch.check();
  assert.equal(calls, 0, 'no call while etcd is not up');
  up = true;
  await watch.check();
  assert.equal(calls, 1);
  assert.equal(changes, 0, 'no alarm, no change');
  errors = ['memberID:10 alarm:NOSPACE '];
  await watch.check();
  assert.deepEqual(watch.store.getState().alarms, [{memberId: 'a', alarm: 'NOSPACE'}]);
  await watch.check();
  assert.equal(changes, 1, 'the same alarm again draws nothing');
  errors = [];
  await watch.check();
  assert.deepEqual(watch.store.getState().alarms, []);
  assert.equal(changes, 2);
});
