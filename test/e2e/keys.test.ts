import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {after, test} from 'node:test';
import type {PtySession} from '../helpers/pty.js';
import {
  closeEtcdClient,
  etcdctl,
  etcdctlEnv,
  etcdGet,
  etcdKeys,
  etcdValue,
  openTreeFolders,
  putKeys,
  selectTreeRow,
  selectedTreeLine,
  treeLine,
  treeRowName,
} from '../helpers/etcd.js';
import {assertShowing} from '../helpers/screen.js';
import {needsShared, sharedFile} from '../helpers/shared-testdata.js';
import {startUndock, stopAll} from '../helpers/undock.js';

// The etcd key tree (:keys) of the built CLI, against the test run's sandbox: the seeded keyspace,
// and keys this file writes under its own prefix (deleted at the end).
const folder = `undock-e2e-${process.pid}/`;
const prefix = `/${folder}`;
const KEYS = ['--view', 'keys'];
const SIZE = {cols: 160, rows: 36};
const TITLE = /etcd keys[^\n]*\[\d+\]/;

after(() => {
  stopAll();
  spawnSync('etcdctl', ['del', '--prefix', prefix], {env: etcdctlEnv()});
  closeEtcdClient();
});

/** The "N keys" a folder row shows, if the folder is on screen. */
function shownCount(s: PtySession, name: string): number | undefined {
  const line = treeLine(s, name);
  const m = line && /\s(\d+) keys\b/.exec(line);
  return m ? Number(m[1]) : undefined;
}

/** The folder names of the first level under `parent`, counted from etcdctl's key list. */
function folderCounts(parent: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const key of etcdKeys(parent)) {
    const rest = key.slice(parent.length);
    const cut = rest.indexOf('/');
    if (cut >= 0) counts.set(rest.slice(0, cut + 1), (counts.get(rest.slice(0, cut + 1)) ?? 0) + 1);
  }
  return counts;
}

test('the seeded tree shows its folders with the key counts etcdctl reports', async () => {
  const s = startUndock(KEYS, SIZE);
  await s.waitFor(TITLE);
  await s.waitFor(() => treeLine(s, '/') !== undefined && treeLine(s, 'config/') !== undefined);
  const title = await s.waitFor(() => Number(/etcd keys[^\n]*\[(\d+)\]/.exec(s.text())?.[1]) === etcdKeys('').length, 5_000);
  assert.match(title, TITLE);
  await s.waitFor(() => shownCount(s, '/') === etcdKeys('/').length);
  assert.equal(shownCount(s, 'config/'), etcdKeys('config/').length);

  await openTreeFolders(s, '/');
  const registryKeys = etcdKeys('/registry').length;
  assert.ok(registryKeys > 300, `the seed wrote the /registry keys (${registryKeys})`);
  await s.waitFor(() => shownCount(s, 'registry/') === registryKeys);

  await openTreeFolders(s, 'registry/');
  const expected = folderCounts('/registry/');
  const screen = await s.waitFor(() => treeLine(s, 'pods/') !== undefined);
  assert.equal(shownCount(s, 'pods/'), etcdKeys('/registry/pods/').length);
  assert.equal(shownCount(s, 'pods/'), expected.get('pods/'));
  // Every folder under registry/ that is on screen has etcdctl's count.
  const shown = screen.split('\n').map(treeRowName).filter((n) => expected.has(n));
  assert.ok(shown.length >= 10, `folders on screen: ${shown.join(' ')}`);
  for (const name of shown) assert.equal(shownCount(s, name), expected.get(name), `the count of registry/${name}`);
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
});

test('etcdctl put, change and del under an open folder show within 500 ms, and the count follows', async (t) => {
  const live = `${prefix}live/`;
  etcdctl('put', `${live}first`, 'seed');
  const s = startUndock(KEYS, SIZE);
  await s.waitFor(TITLE);
  await openTreeFolders(s, '/', folder, 'live/');
  await s.waitFor(() => treeLine(s, 'first') !== undefined && shownCount(s, 'live/') === 1);

  let t0 = Date.now();
  etcdctl('put', `${live}second`, 'value-one');
  await s.waitFor(() => treeLine(s, 'second') !== undefined && shownCount(s, 'live/') === 2, 500);
  const added = Date.now() - t0;

  await selectTreeRow(s, 'second');
  await s.waitFor(/value-one/);
  assert.match(s.text(), /\d+ B · text · v1 · create \d+ · mod \d+/);
  t0 = Date.now();
  etcdctl('put', `${live}second`, 'value-two');
  const two = await s.waitFor((text) => text.includes('value-two') && / · v2 · /.test(text), 500);
  const changed = Date.now() - t0;
  assert.doesNotMatch(two, /value-one/);
  const mod = etcdGet(`${live}second`)!.modRevision;
  assert.match(s.text(), new RegExp(` · mod ${mod}\\b`), 'the preview shows the mod revision etcd reports');

  t0 = Date.now();
  etcdctl('del', `${live}second`);
  await s.waitFor(() => treeLine(s, 'second') === undefined && shownCount(s, 'live/') === 1, 500);
  const deleted = Date.now() - t0;
  assert.deepEqual(etcdKeys(live), [`${live}first`]);
  t.diagnostic(`on screen after etcdctl (process start included): put ${added} ms, change ${changed} ms, del ${deleted} ms`);
  await s.press('q');
  await s.waitExit();
});

test('a Kubernetes protobuf value shows decoded in the preview and in the describe view', {skip: needsShared('k8s/pod.storage.bin')}, async () => {
  const key = `${prefix}k8s/pi-dqtsw`;
  const stored = fs.readFileSync(sharedFile('k8s/pod.storage.bin'));
  assert.equal(stored.subarray(0, 4).toString('latin1'), 'k8s\0');
  await putKeys([[key, stored]]);
  assert.ok(etcdGet(key)!.value.equals(stored), 'etcd holds the bytes as written');

  const s = startUndock(KEYS, SIZE);
  await s.waitFor(TITLE);
  await s.press('/');
  await s.type(`${folder}k8s/`);
  await s.press('enter');
  await s.waitFor(() => treeRowName(selectedTreeLine(s)?.text ?? '') === key);
  const preview = await s.waitFor(/apiVersion: v1[\s\S]*kind: Pod[\s\S]*name: pi-dqtsw/);
  assert.match(preview, /\d+\.\d KiB · k8s · v1 · create \d+ · mod \d+/);
  assert.match(preview, /# v1 Pod, Kubernetes protobuf \(k8s\\0\), decoded with its schema/);
  assert.match(preview, / {2}namespace: default/, 'the namespace by its field name');

  await s.press('enter');
  // The preview shows "kind: Pod" too: wait for the describe view's own title and fields.
  const detail = await s.waitFor((text) => text.includes(`key ${key} [yaml]`) && /^ {2}kind: Pod$/m.test(text));
  assert.match(detail, /kind: k8s/);
  assert.match(detail, new RegExp(`size: ${stored.length}`));
  assert.match(detail, /apiVersion: v1/);
  assert.match(detail, /name: pi-dqtsw/);
  await s.press('esc');
  await s.waitFor(() => treeRowName(selectedTreeLine(s)?.text ?? '') === key);
  await s.press('q');
  await s.waitExit();
});

test('ctrl-d on a folder deletes exactly the keys under it after saying how many', async () => {
  const doomed = Array.from({length: 25}, (_, i) => `${prefix}del/k${String(i).padStart(2, '0')}`);
  const sibling = `${prefix}del-sibling`;
  const nested = `${prefix}keep/del/k00`;
  await putKeys([...doomed.map((k): [string, string] => [k, `v ${k}`]), [sibling, 'stays'], [nested, 'stays too']]);
  assert.equal(etcdKeys(`${prefix}del/`).length, 25);

  const s = startUndock(KEYS, SIZE);
  await s.waitFor(TITLE);
  await openTreeFolders(s, '/', folder);
  await s.waitFor(() => shownCount(s, 'del/') === 25);
  await selectTreeRow(s, 'del/');
  await s.press('ctrl+d');
  const dialog = await s.waitFor(`Delete all 25 keys under ${prefix}del/?`);
  assert.match(dialog, /Delete 25 keys/);
  assert.equal(etcdKeys(`${prefix}del/`).length, 25, 'nothing is deleted before the answer');

  await s.press('y');
  await s.waitFor(`deleted 25 keys under ${prefix}del/`, 10_000);
  assert.deepEqual(etcdKeys(`${prefix}del/`), [], 'etcdctl finds no key under the folder');
  assert.equal(etcdValue(sibling), 'stays');
  assert.equal(etcdValue(nested), 'stays too');
  await s.waitFor(() => treeLine(s, 'del/') === undefined && treeLine(s, 'del-sibling') !== undefined);
  await s.press('q');
  await s.waitExit();
});

test('--readonly refuses delete, edit and new key before doing anything, and etcd is unchanged', async () => {
  const key = `${prefix}ro/key`;
  etcdctl('put', key, 'untouched');
  const before = etcdGet(key)!;
  const marker = path.join(fs.mkdtempSync('/tmp/undock-e2e-ro-'), 'editor-ran');
  const editor = path.join(path.dirname(marker), 'editor.sh');
  fs.writeFileSync(editor, `#!/bin/sh\ntouch '${marker}'\necho changed > "$1"\n`, {mode: 0o755});
  try {
    const s = startUndock([...KEYS, '--readonly'], {...SIZE, env: {EDITOR: editor, VISUAL: ''}});
    await s.waitFor('[readonly]');
    await s.waitFor(TITLE);
    await openTreeFolders(s, '/', folder, 'ro/');
    await selectTreeRow(s, 'key');
    await s.waitFor(/untouched/);

    await s.press('ctrl+d');
    let refused = await s.waitFor(/delete[^\n]* refused: undock runs with --readonly/);
    assertShowing(refused, TITLE);
    assert.doesNotMatch(refused, /Delete /);
    await s.press('e');
    await s.waitFor(/edit[^\n]* refused: undock runs with --readonly/);
    await s.press('n');
    refused = await s.waitFor(/new key[^\n]* refused: undock runs with --readonly/);
    assertShowing(refused, TITLE);
    assert.doesNotMatch(refused, /New etcd key/);
    // ctrl-d on the folder too
    await selectTreeRow(s, 'ro/');
    await s.press('ctrl+d');
    refused = await s.waitFor(/delete[^\n]* refused: undock runs with --readonly/);
    assertShowing(refused, TITLE);
    assert.doesNotMatch(refused, /Delete all/);

    assert.ok(!fs.existsSync(marker), 'the editor never ran');
    const now = etcdGet(key)!;
    assert.equal(now.value.toString(), 'untouched');
    assert.equal(now.modRevision, before.modRevision);
    assert.deepEqual(etcdKeys(prefix + 'ro/'), [key]);
    await s.press('q');
    assert.equal(await s.waitExit(), 0);
  } finally {
    fs.rmSync(path.dirname(marker), {recursive: true, force: true});
  }
});
