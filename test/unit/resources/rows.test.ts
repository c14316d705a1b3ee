import assert from 'node:assert/strict';
import {test} from 'node:test';
import {columnWidths, fit, makeFilter, viewRows} from '../../../source/resources/rows.js';
import {images} from '../../../source/resources/images/index.js';
import type {ImageRow} from '../../../source/resources/images/source.js';

const now = Date.parse('2026-11-26T12:00:00Z');
function row(ref: string, size: number, minutesOld: number, labels: Record<string, string> = {}): ImageRow {
  const [repository, tag] = ref.split(':') as [string, string];
  return {
    ref,
    repository,
    tag,
    digest: 'sha256:' + 'ab'.repeat(32),
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    size,
    platforms: ['linux/amd64'],
    layers: 1,
    incomplete: false,
    createdAt: new Date(now - minutesOld * 60_000),
    labels,
  };
}

const rows = [
  row('docker.io/library/busybox:latest', 1_200_000, 5, {team: 'infra'}),
  row('registry.k8s.io/pause:3.6', 300_000, 60),
  row('localhost/undock/toolbox:dev', 2_000_000, 1),
];

test('rows sort by name ascending by default and by size when asked', () => {
  const byName = viewRows(images, rows, {filter: '', sort: {column: 'name', descending: false}, now});
  assert.deepEqual(byName.map((v) => v.cells[0]), ['docker.io/library/busybox', 'localhost/undock/toolbox', 'registry.k8s.io/pause']);
  const bySizeDesc = viewRows(images, rows, {filter: '', sort: {column: 'size', descending: true}, now});
  assert.deepEqual(bySizeDesc.map((v) => v.cells[1]), ['dev', 'latest', '3.6']);
});

test('age sorts youngest first, as k9s does', () => {
  const byAge = viewRows(images, rows, {filter: '', sort: {column: 'age', descending: false}, now});
  assert.deepEqual(byAge.map((v) => v.cells[5]), ['60s', '5m', '60m']);
});

test('the filter is a case-insensitive substring, ! inverts, -l matches labels', () => {
  const f = (filter: string) => viewRows(images, rows, {filter, sort: {column: 'name', descending: false}, now}).map((v) => v.cells[1]);
  assert.deepEqual(f('PAUSE'), ['3.6']);
  assert.deepEqual(f('!pause'), ['latest', 'dev']);
  assert.deepEqual(f('-l team=infra'), ['latest']);
  assert.deepEqual(f('-l team'), ['latest']);
  assert.deepEqual(f('nothing-like-this'), []);
  assert.equal(makeFilter(images, '')(rows[0], []), true);
});

test('sizes and digests render as ctr and nerdctl show them', () => {
  const [v] = viewRows(images, [rows[0]!], {filter: '', sort: {column: 'name', descending: false}, now});
  assert.equal(v!.cells[2], 'abababababab');
  assert.equal(v!.cells[3], '1.1 MiB');
  assert.equal(v!.cells[4], 'linux/amd64');
});

test('the grow column takes the width that is left, and cells are cut with an ellipsis', () => {
  const views = viewRows(images, rows, {filter: '', sort: {column: 'name', descending: false}, now});
  const widths = columnWidths(images.columns as never, views, 100);
  assert.equal(widths.reduce((a, b) => a + b, 0) + widths.length - 1, 100);
  const narrow = columnWidths(images.columns as never, views, 60);
  assert.equal(narrow.reduce((a, b) => a + b, 0) + narrow.length - 1, 60);
  // The long name column gives way first; short columns keep their content.
  assert.deepEqual(narrow.slice(1), [6, 12, 9, 11, 4]);
  assert.equal(narrow[0], 13);
  assert.equal(fit('abcdef', 4), 'abc…');
  assert.equal(fit('ab', 4, 'right'), '  ab');
});
