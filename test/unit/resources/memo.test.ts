import assert from 'node:assert/strict';
import {test} from 'node:test';
import {pruneMemo} from '../../../source/resources/memo.js';

test('memory of rows that are gone is dropped; other prefixes and live rows are kept', () => {
  const memo = new Map<string, unknown>([
    ['cpu:default/web', 1],
    ['cpu:default/gone', 2],
    ['cpu:k8s.io/other', 3],
    ['pod-ip:abc', '10.0.0.2'],
  ]);
  pruneMemo(memo, 'cpu:default/', new Set(['cpu:default/web']));
  assert.deepEqual([...memo.keys()], ['cpu:default/web', 'cpu:k8s.io/other', 'pod-ip:abc']);
  pruneMemo(memo, 'pod-ip:', new Set());
  assert.deepEqual([...memo.keys()], ['cpu:default/web', 'cpu:k8s.io/other']);
});
