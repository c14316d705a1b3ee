import assert from 'node:assert/strict';
import {test} from 'node:test';
import {sameButLabels, type ContainerRow} from '../../../source/resources/containers/source.js';
import {sameRows} from '../../../source/store/source-manager.js';

const row: Required<ContainerRow> = {
  namespace: 'default',
  id: 'web',
  name: 'web',
  image: 'docker.io/library/busybox:latest',
  status: 'stopped',
  exitStatus: 3,
  exitedAt: new Date('2026-12-01T10:00:00Z'),
  lastExit: {status: 3, at: new Date('2026-12-01T10:00:00Z')},
  pid: 4242,
  cpuPercent: 0.5,
  memoryBytes: 1 << 20,
  createdAt: new Date('2026-12-01T09:00:00Z'),
  labels: {'nerdctl/name': 'web'},
};

test('a kept row must show the same: every field but the labels (which updated_at stands for) is compared', () => {
  const other: Record<keyof ContainerRow, unknown> = {
    namespace: 'k8s.io',
    id: 'web2',
    name: 'web2',
    image: 'docker.io/library/busybox:1.36',
    status: 'running',
    exitStatus: 137,
    exitedAt: new Date('2026-12-01T10:00:01Z'),
    lastExit: {status: 3, at: new Date('2026-12-01T10:00:01Z')},
    pid: 4243,
    cpuPercent: 0.6,
    memoryBytes: 2 << 20,
    createdAt: new Date('2026-12-01T09:00:01Z'),
    labels: {'nerdctl/name': 'other'},
  };
  assert.deepEqual(Object.keys(other).sort(), Object.keys(row).sort(), 'the table covers every field of a row');
  assert.equal(sameButLabels(row, {...row, exitedAt: new Date(row.exitedAt.getTime())}), true, 'equal dates are the same');
  for (const key of Object.keys(row) as Array<keyof ContainerRow>) {
    assert.equal(sameButLabels(row, {...row, [key]: other[key]}), key === 'labels', key);
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
