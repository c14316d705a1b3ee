import assert from 'node:assert/strict';
import {test} from 'node:test';
import {splitReference} from '../../../source/resources/images/reference.js';
import {formatAge, formatBytes} from '../../../source/resources/format.js';

test('references split into repository, tag and digest, registry ports included', () => {
  assert.deepEqual(splitReference('docker.io/library/busybox:1.36'), {repository: 'docker.io/library/busybox', tag: '1.36', digest: ''});
  assert.deepEqual(splitReference('127.0.0.1:5000/x/y'), {repository: '127.0.0.1:5000/x/y', tag: '', digest: ''});
  const id = 'sha256:' + 'f'.repeat(64);
  assert.deepEqual(splitReference(id), {repository: id, tag: '', digest: ''});
  assert.deepEqual(splitReference('127.0.0.1:5000/x/y:1@sha256:00'), {repository: '127.0.0.1:5000/x/y', tag: '1', digest: 'sha256:00'});
});

test('ages and sizes are short', () => {
  const now = 10_000_000_000;
  assert.equal(formatAge(new Date(now - 30_000), now), '30s');
  assert.equal(formatAge(new Date(now - 3 * 3600_000), now), '3h');
  assert.equal(formatAge(new Date(now - 3 * 86400_000), now), '3d');
  assert.equal(formatAge(new Date(now - 30 * 86400_000), now), '30d');
  assert.equal(formatAge(undefined, now), '-');
  assert.equal(formatBytes(512), '512 B');
  assert.equal(formatBytes(1536), '1.5 KiB');
  assert.equal(formatBytes(undefined), '-');
});
