import assert from 'node:assert/strict';
import {test} from 'node:test';
import {sameButLabels, type ContainerRow} from '../../../source/resources/containers/source.js';
import {sameRows} from '../../../source/store/source-manager.js';

// Every field of a row (the type makes the table list them all): a value, and another one.
const table = {
  namespace: ['default', 'k8s.io'],
  id: ['web', 'web2'],
  name: ['web', 'web2'],
  image: ['docker.io/library/busybox:latest', 'docker.io/library/busybox:1.36'],
  status: ['stopped', 'running'],
  exitStatus: [3, 137],
  exitedAt: [new Date('2026-12-01T10:00:00Z'), new Date('2026-12-01T10:00:01Z')],
  lastExit: [{status: 3, at: new Date('2026-12-01T10:00:00Z')}, {status: 3, at: new Date('2026-12-01T10:00:01Z')}],
  pid: [4242, 4243],
  cpuPercent: [0.5, 0.6],
  memoryBytes: [1 << 20, 2 << 20],
  createdAt: [new Date('2026-12-01T09:00:00Z'), new Date('2026-12-01T09:00:01Z')],
  labels: [{'nerdctl/name': 'web'}, {'nerdctl/name': 'other'}],
} satisfies {[K in keyof Required<ContainerRow>]: [ContainerRow[K], ContainerRow[K]]};
const keys = Object.keys(table) as Array<keyof ContainerRow>;
const row = Object.fromEntries(keys.map((k) => [k, table[k][0]])) as unknown as Required<ContainerRow>;

test('a kept row must show the same: every field but the labels (which updated_at stands for) is compared', () => {
  assert.equal(sameButLabels(row, {...row, exitedAt: new Date(row.exitedAt.getTime())}), true, 'equal dates are the same');
  for (const key of keys) {
    assert.equal(sameButLabels(row, {...row, [key]: table[key][1]}), key === 'labels', key);
    if (key !== 'labels') assert.equal(sameButLabels(row, {...row, [key]: undefined}), false, `${key} gone`);
  }
  const {lastExit: _, ...withoutExit} = row;
  assert.equal(sameButLabels(row, withoutExit), false, 'a last exit that is no longer known');
});

test('rows are the same as the last load when each is the same object or equal to it', () => {
  const a = {id: 'a', n: 1};
  const b = {id: 'b', n: 2};
  assert.equal(sameRows([a, b], [a, b]), true);
  assert.equal(sameRows([a, b], [a, {...b}]), true, 'an equal new object');
  assert.equal(sameRows([a, b], [a, {...b, n: 3}]), false);
  assert.equal(sameRows([a, b], [b, a]), false, 'the order counts');
  assert.equal(sameRows([a, b], [a]), false);
});
