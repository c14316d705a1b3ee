import assert from 'node:assert/strict';
import {test} from 'node:test';
import stringWidth from 'string-width';
import {fit} from '../../../source/resources/fit.js';
import {columnWidths, layoutColumns, makeFilter, retimeRows, timeIndependent, viewRows, compareText} from '../../../source/resources/rows.js';
import {images} from '../../../source/resources/images/index.js';
import {containers} from '../../../source/resources/containers/index.js';
import type {ContainerRow} from '../../../source/resources/containers/source.js';
import type {Column} from '../../../source/resources/types.js';
import type {ImageRow} from '../../../source/resources/images/source.js';

const now = Date.parse('2026-11-26T12:00:00Z');
function row(ref: string, size: number, minutesOld: number, labels: Record<string, string> = {}): ImageRow {
  const [repository, tag] = ref.split(':') as [string, string];
  return {
    ref,
    repository,
    tag,
    tags: [ref],
    repoDigests: [],
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

// [text, width, expected]: widths are terminal columns; CJK and emoji take two, combining marks none.
const fitCases: [string, number, string][] = [
  ['abc', 5, 'abc  '],
  ['abcdef', 4, 'abc…'],
  ['abc', 3, 'abc'],
  ['日本語', 6, '日本語'],
  ['日本語', 8, '日本語  '],
  ['日本語', 5, '日本…'],
  ['日本語', 4, '日… '],
  ['a日本', 4, 'a日…'],
  ['😀😀😀', 5, '😀😀…'],
  ['😀😀😀', 4, '😀… '],
  ['👩‍👩‍👧 family', 6, '👩‍👩‍👧 fa…'],
  ['🇯🇵', 2, '🇯🇵'],
  ['e\u0301e\u0301e\u0301', 3, 'e\u0301e\u0301e\u0301'],
  ['e\u0301e\u0301e\u0301', 2, 'e\u0301…'],
  ['cafe\u0301', 6, 'cafe\u0301  '],
  ['a\u200bb', 2, 'a\u200bb'],
  ['abc', 0, ''],
  ['', 0, ''],
  ['', 2, '  '],
  ['abc', 1, 'a'],
  ['日本', 1, '…'],
  ['a', 1, 'a'],
  ['abc', 2, 'a…'],
  ['日本', 2, '… '],
  ['日本', 3, '日…'],
  ['日a', 2, '… '],
];

test('fit pads and cuts by terminal columns, never splitting a wide character', () => {
  for (const [text, width, expected] of fitCases) {
    const out = fit(text, width);
    assert.equal(out, expected, `fit(${JSON.stringify(text)}, ${width})`);
    assert.equal(stringWidth(out), width, `width of fit(${JSON.stringify(text)}, ${width})`);
    const right = fit(text, width, 'right');
    assert.equal(stringWidth(right), width, `width of right-aligned fit(${JSON.stringify(text)}, ${width})`);
  }
  assert.equal(fit('日本', 6, 'right'), '  日本');
  assert.equal(fit('e\u0301', 3, 'right'), '  e\u0301');
});

test('column widths count columns: a CJK or emoji cell widens its column by its display width', () => {
  const cols = [
    {id: 'name', header: 'NAME', cell: (r: unknown) => String(r)},
    {id: 'x', header: 'X', grow: true, cell: () => ''},
  ];
  const views = (cells: string[]) => cells.map((c) => ({row: c, cells: [c, '']}));
  assert.deepEqual(columnWidths(cols, views(['日本語の名前']), 20), [12, 7]);
  assert.deepEqual(columnWidths(cols, views(['😀😀😀']), 20), [6, 13]);
  assert.deepEqual(columnWidths(cols, views(['cafe\u0301 noir']), 20), [9, 10]);
  // The header (+1 for the sort arrow) is the floor when the content is narrower.
  assert.deepEqual(columnWidths(cols, views(['é']), 20), [5, 14]);
});

test('names shortened in the middle keep their distinguishing tail', () => {
  const cases: Array<[string, number, string]> = [
    ['/registry/pods/default/api-server-7c9f8-abcde', 24, '/registry…er-7c9f8-abcde'],
    ['/registry/pods/default/api-server-7c9f8-xyzzy', 24, '/registry…er-7c9f8-xyzzy'],
    ['short', 24, 'short'],
  ];
  for (const [text, width, want] of cases) {
    const got = fit(text, width, 'left', 'middle');
    assert.equal(stringWidth(got), width, `${text} fills ${width} columns`);
    assert.equal(got.trimEnd(), want);
  }
  // Two keys that differ only at the end stay different once shortened.
  assert.notEqual(fit(cases[0]![0], 24, 'left', 'middle'), fit(cases[1]![0], 24, 'left', 'middle'));
  assert.equal(stringWidth(fit('名前が長いコンテナの名前です', 9, 'left', 'middle')), 9, 'wide characters are never split');
});

test('a narrow terminal drops the least important columns first, never NAME or STATUS', () => {
  const cols = ['name', 'id', 'image', 'status', 'pid', 'cpu', 'mem', 'age'].map((id) => ({id, header: id.toUpperCase(), cell: () => ''}));
  const views = [{row: {}, cells: ['web', 'abc123', 'docker.io/library/busybox:latest', 'running', '4242', '0.1', '1 MiB', '3m']}];
  const wide = layoutColumns(cols, views, 120);
  assert.deepEqual(wide.keep, [0, 1, 2, 3, 4, 5, 6, 7], 'all fit at 120 columns');
  const narrow = layoutColumns(cols, views, 30);
  const kept = narrow.keep.map((i) => cols[i]!.id);
  assert.ok(kept.includes('name') && kept.includes('status'), `name and status stay (${kept.join(',')})`);
  assert.ok(!kept.includes('pid'), 'a minor column went');
  assert.ok(narrow.widths.reduce((a, b) => a + b, 0) + narrow.keep.length - 1 <= 30, 'what is kept fits');
});

const imageColumns = images.columns as Column<unknown>[];

test('an age tick remakes only the time cells: the same as viewRows at the later time, in the same order', () => {
  const opts = {filter: '', sort: {column: 'name', descending: false}};
  const before = viewRows(images, rows, {...opts, now});
  const later = now + 61 * 60_000;
  const retimed = retimeRows(before, imageColumns, later);
  assert.deepEqual(retimed, viewRows(images, rows, {...opts, now: later}));
  assert.notDeepEqual(retimed.map((v) => v.cells), before.map((v) => v.cells), 'the ages moved on');
  assert.ok(retimed.every((v, i) => v.row === before[i]!.row));
});

test('a tick remakes only the rows whose ages show another text: the others are the same objects, and no change is the same array', () => {
  const opts = {filter: '', sort: {column: 'name', descending: false}};
  const before = viewRows(images, rows, {...opts, now});
  const ages = (views: typeof before) => views.map((v) => v.cells[5]);
  assert.deepEqual(ages(before), ['5m', '60s', '60m']);
  assert.equal(retimeRows(before, imageColumns, now + 999), before, 'no age moves within the second');
  const second = retimeRows(before, imageColumns, now + 1_000);
  assert.deepEqual(second, viewRows(images, rows, {...opts, now: now + 1_000}));
  assert.deepEqual(ages(second), ['5m', '61s', '60m']);
  assert.deepEqual(second.map((v, i) => v === before[i]), [true, false, true], 'only the row read in seconds was made again');
  const minute = retimeRows(second, imageColumns, now + 60_000);
  assert.deepEqual(minute, viewRows(images, rows, {...opts, now: now + 60_000}));
  assert.deepEqual(ages(minute), ['6m', '2m', '61m']);
  assert.ok(minute.every((v, i) => v !== second[i]), 'every age moved');
});

test('widths after a tick are those of the rows made afresh at that time (a time cell that grew widens its column)', () => {
  const columns = containers.columns as Column<unknown>[];
  const opts = {filter: '', sort: {column: 'name', descending: false}, columns};
  const exited = (id: string, secondsAgo: number): ContainerRow => ({
    namespace: 'default',
    id,
    name: id,
    image: 'docker.io/library/busybox:latest',
    status: 'stopped',
    exitStatus: 0,
    exitedAt: new Date(now - secondsAgo * 1000),
    createdAt: new Date(now - 3_600_000),
    labels: {},
  });
  const list = [exited('job', 9), {...exited('web', 0), status: 'running', exitStatus: undefined, exitedAt: undefined}];
  const status = columns.findIndex((c) => c.id === 'status');
  const at = (t: number) => layoutColumns(columns, viewRows(containers, list, {...opts, now: t}), 200).widths;
  const before = viewRows(containers, list, {...opts, now});
  assert.deepEqual(layoutColumns(columns, before, 200).widths, at(now));
  assert.equal(layoutColumns(columns, before, 200).widths[status], 'Exited (0) 9s ago'.length);
  const later = retimeRows(before, columns, now + 1_000);
  assert.equal(later[0]!.cells[status], 'Exited (0) 10s ago');
  assert.equal(layoutColumns(columns, later, 200).widths[status], 'Exited (0) 10s ago'.length, 'the column widened by the digit');
  assert.deepEqual(layoutColumns(columns, later, 200).widths, at(now + 1_000));
});

test('a tick may skip filtering and sorting only when neither can depend on the time', () => {
  assert.equal(timeIndependent(imageColumns, {filter: '', sort: {column: 'name'}}), true);
  assert.equal(timeIndependent(imageColumns, {filter: '-l team=infra', sort: {column: 'name'}}), true, 'labels do not age');
  assert.equal(timeIndependent(imageColumns, {filter: '5m', sort: {column: 'name'}}), false, 'a text filter may match an age');
  const age = imageColumns.find((c) => c.changesAt)!;
  assert.equal(timeIndependent(imageColumns, {filter: '', sort: {column: age.id}}), !!age.sortValue);
});

test('compareText orders as localeCompare does, names of - . / digits and lower case letters without ICU', () => {
  const alphabet = '-./0123456789abcdefghijklmnopqrstuvwxyz';
  let seed = 7;
  const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
  const word = () => Array.from({length: rnd(8)}, () => alphabet[rnd(alphabet.length)]).join('');
  for (let i = 0; i < 20_000; i++) {
    const [a, b] = [word(), word()];
    assert.equal(Math.sign(compareText(a, b)), Math.sign(a.localeCompare(b)), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
  }
  // Anything else is localeCompare's own order (upper case, ':' and '_' sort otherwise by code unit).
  for (const [a, b] of [['Web', 'apple'], ['busybox:1.36', 'busybox-1'], ['a_b', 'a-b'], ['é', 'f']]) {
    assert.equal(Math.sign(compareText(a!, b!)), Math.sign(a!.localeCompare(b!)), `${a} vs ${b}`);
  }
});
