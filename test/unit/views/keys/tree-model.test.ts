import assert from 'node:assert/strict';
import {test} from 'node:test';
import {KeyTree, displayKey, fromLatin1, toLatin1} from '../../../../source/views/keys/tree-model.js';
import {lineDiff} from '../../../../source/views/keys/actions.js';

const info = (rev: number) => ({version: 1, createRevision: rev, modRevision: rev, lease: '0'});

function treeOf(keys: string[]): KeyTree {
  const t = new KeyTree('/');
  const sorted = keys.map((k) => toLatin1(Buffer.from(k))).sort();
  t.appendSorted(sorted, sorted.map((_, i) => info(i + 1)));
  return t;
}

test('folders count every key below them, leaves carry their metadata', () => {
  const t = treeOf(['/registry/pods/default/a', '/registry/pods/default/b', '/registry/pods/kube-system/c', '/registry/services/x', 'config/flags']);
  const root = t.children('', 0, new Set());
  assert.deepEqual(root.map((r) => [r.name, r.folder, r.count]), [['/', true, 4], ['config/', true, 1]]);
  const reg = t.children('/registry/', 1, new Set());
  assert.deepEqual(reg.map((r) => [r.name, r.count]), [['pods/', 3], ['services/', 1]]);
  const flat = t.flatten('', new Set(['/', '/registry/', '/registry/pods/']));
  assert.deepEqual(
    flat.map((r) => '  '.repeat(r.depth) + r.name),
    ['/', '  registry/', '    pods/', '      default/', '      kube-system/', '    services/', 'config/'],
  );
});

test('puts and deletes keep the order and the counts right', () => {
  const t = treeOf(['/a/1', '/a/3']);
  assert.equal(t.put(toLatin1(Buffer.from('/a/2')), info(9)), 'added');
  assert.equal(t.put(toLatin1(Buffer.from('/a/2')), info(10)), 'changed');
  assert.equal(t.count('/a/'), 3);
  assert.deepEqual(t.children('/a/', 0, new Set()).map((r) => r.name), ['1', '2', '3']);
  assert.equal(t.get(toLatin1(Buffer.from('/a/2')))?.modRevision, 10);
  assert.equal(t.delete(toLatin1(Buffer.from('/a/1'))), true);
  assert.equal(t.delete(toLatin1(Buffer.from('/a/1'))), false);
  assert.equal(t.count('/a/'), 2);
});

test('binary and UTF-8 keys round-trip and sort in etcd byte order', () => {
  const bin = Buffer.from([0x2f, 0xff, 0x00, 0x01]);
  const t = treeOf([]);
  t.put(toLatin1(bin), info(1));
  t.put(toLatin1(Buffer.from('/é')), info(2));
  t.put(toLatin1(Buffer.from('/z')), info(3));
  const leaves = t.children('/', 0, new Set());
  assert.deepEqual(leaves.map((r) => fromLatin1(r.path).toString('hex')), ['2f7a', '2fc3a9', '2fff0001']);
  assert.equal(displayKey(toLatin1(Buffer.from('/é'))), '/é');
});

test('search lists matching keys anywhere below the root', () => {
  const t = treeOf(['/registry/pods/default/pi-dqtsw', '/registry/pods/default/web', '/other']);
  assert.deepEqual(t.search('', 'PI-').map((r) => r.path), ['/registry/pods/default/pi-dqtsw']);
  // !text keeps every key that does not hold it, as the table filter does.
  assert.deepEqual(t.search('', '!pods').map((r) => r.path), ['/other']);
  assert.deepEqual(t.search('', '!').map((r) => r.path).length, 0, 'a bare ! matches nothing (every key holds the empty text)');
});

test('history diffs show what changed between neighbours', () => {
  assert.deepEqual(lineDiff('a\nb\nc', 'a\nB\nc\nd'), ['- b', '+ B', '+ d']);
  assert.deepEqual(lineDiff('same', 'same'), []);
});
