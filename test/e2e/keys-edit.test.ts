import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {after, test} from 'node:test';
import type {PtySession} from '../helpers/pty.js';
import {sandboxEnv} from '../helpers/sandbox-env.js';
import {closeEtcdClient, etcdctl, etcdctlEnv, etcdGet, etcdKeys, etcdValue, openTreeFolders, selectedTreeLine, treeRowName} from '../helpers/etcd.js';
import {startUndock, stopAll} from '../helpers/undock.js';

// Writes through the key tree (edit in $EDITOR with compare-and-swap, new key with a lease) and
// the history view, against the test run's sandbox, under this file's own prefix.
const env = sandboxEnv();
const folder = `undock-e2e-${process.pid}/`;
const prefix = `/${folder}`;
const KEYS = ['--view', 'keys'];
const SIZE = {cols: 160, rows: 36};
const granted: string[] = [];
const scratch = fs.mkdtempSync('/tmp/undock-e2e-edit-');
const TITLE = /etcd keys[^\n]*\[\d+\]/;

after(() => {
  stopAll();
  for (const id of granted) spawnSync('etcdctl', ['lease', 'revoke', id], {env: etcdctlEnv()});
  spawnSync('etcdctl', ['del', '--prefix', prefix], {env: etcdctlEnv()});
  closeEtcdClient();
  fs.rmSync(scratch, {recursive: true, force: true});
});

/** An $EDITOR that edits the file it is given without a person: a shell script. */
function editorScript(name: string, body: string): string {
  const file = path.join(scratch, `${name}.sh`);
  fs.writeFileSync(file, `#!/bin/sh\nset -e\n${body}\n`, {mode: 0o755});
  return file;
}

/** The environment that makes undock run `editor` for e (VISUAL would win over EDITOR). */
function withEditor(editor: string): NodeJS.ProcessEnv {
  return {EDITOR: editor, VISUAL: ''};
}

/** Filters the tree down to one key and waits until it is the selected row. */
async function selectKey(s: PtySession, key: string): Promise<void> {
  await s.waitFor(TITLE);
  await s.press('/');
  await s.type(key);
  await s.press('enter');
  await s.waitFor(() => treeRowName(selectedTreeLine(s)?.text ?? '') === key);
}

test('e hands the value to $EDITOR; y writes what was saved', async () => {
  const key = `${prefix}edit/ok`;
  etcdctl('put', key, 'colour: old\nsize: 3');
  const opened = etcdGet(key)!;
  const s = startUndock(KEYS, {...SIZE, env: withEditor(editorScript('replace', 'sed -i s/old/new/ "$1"'))});
  await selectKey(s, key);
  await s.waitFor(/colour: old/);

  await s.press('e');
  const dialog = await s.waitFor(`Write ${key}?`);
  assert.match(dialog, new RegExp(`only if it is still at mod revision ${opened.modRevision}`));
  assert.equal(etcdValue(key), 'colour: old\nsize: 3', 'nothing is written before the answer');

  await s.press('y');
  await s.waitFor(new RegExp(`wrote ${key} at revision \\d+`));
  const written = etcdGet(key)!;
  assert.equal(written.value.toString(), 'colour: new\nsize: 3');
  assert.equal(written.version, opened.version + 1);
  await s.waitFor(/colour: new/);
  await s.press('q');
  await s.waitExit();
});

test('e with a conflicting write meanwhile: y writes nothing and says the key changed', async () => {
  const key = `${prefix}edit/conflict`;
  etcdctl('put', key, 'owner: first');
  // The editor saves its change, and before it returns someone else writes the same key.
  const editor = editorScript(
    'conflict',
    `sed -i s/first/mine/ "$1"\nETCDCTL_API=3 ETCDCTL_ENDPOINTS='${env.etcdEndpoints}' etcdctl put '${key}' 'owner: theirs' >/dev/null`,
  );
  const s = startUndock(KEYS, {...SIZE, env: withEditor(editor)});
  await selectKey(s, key);
  await s.waitFor(/owner: first/);

  await s.press('e');
  await s.waitFor(`Write ${key}?`);
  assert.equal(etcdValue(key), 'owner: theirs', 'the other writer got there first');
  const theirs = etcdGet(key)!;
  await s.press('y');
  const status = await s.waitFor(`${key} changed since it was opened`);
  assert.match(status, new RegExp(`now at mod revision ${theirs.modRevision}\\): nothing written`));
  const now = etcdGet(key)!;
  assert.equal(now.value.toString(), 'owner: theirs');
  assert.equal(now.modRevision, theirs.modRevision, 'no write after theirs');
  await s.press('q');
  await s.waitExit();
});

test('n creates a key under a new lease: etcd holds it and the lease lists it', async () => {
  const seed = `${prefix}new/seed`;
  const key = `${prefix}new/leased`;
  etcdctl('put', seed, 'x');
  const s = startUndock(KEYS, SIZE);
  await s.waitFor(TITLE);
  await openTreeFolders(s, '/', folder, 'new/');
  await s.press('n');
  const form = await s.waitFor('New etcd key');
  assert.match(form, new RegExp(`key:\\s+${prefix}new/\\s`), 'the key starts in the selected folder');
  await s.type('leased');
  await s.press('enter');
  await s.type('hello lease');
  await s.press('enter');
  await s.type('60');
  await s.press('enter');
  const dialog = await s.waitFor(`Create ${key}?`);
  assert.match(dialog, /under a new lease of 60 s/);
  assert.equal(etcdGet(key), undefined, 'nothing is written before the answer');

  await s.press('y');
  const done = await s.waitFor(new RegExp(`created ${key} at revision \\d+ \\(lease [0-9a-f]+\\)`));
  const shownLease = new RegExp(`created ${key} at revision \\d+ \\(lease ([0-9a-f]+)\\)`).exec(done)![1]!;
  granted.push(shownLease);
  assert.equal(etcdValue(key), 'hello lease');

  const leases = etcdctl('lease', 'list').trim().split('\n').slice(1);
  const holding = leases.filter((id) => etcdctl('lease', 'timetolive', '--keys', id).includes(`[${key}]`));
  assert.deepEqual(holding, [shownLease], 'one lease holds the key: the one undock named');
  const ttl = etcdctl('lease', 'timetolive', '--keys', shownLease);
  assert.match(ttl, /granted with TTL\(60s\), remaining\((\d+)s\)/);
  assert.ok(Number(/remaining\((\d+)s\)/.exec(ttl)![1]) > 40, ttl);
  assert.deepEqual(etcdKeys(`${prefix}new/`), [key, seed]);
  await s.waitFor(/ leased\s+11 B\s+1\s/);
  await s.press('q');
  await s.waitExit();
});

test('h shows every version of a key with what changed between them', async () => {
  const key = `${prefix}history/k`;
  etcdctl('put', key, 'alpha\nbeta');
  etcdctl('put', key, 'alpha\ngamma');
  etcdctl('put', key, 'delta\ngamma');
  assert.equal(etcdGet(key)!.version, 3);
  const s = startUndock(KEYS, {...SIZE, rows: 48});
  await selectKey(s, key);
  await s.press('h');
  await s.waitFor(`history of ${key}`);
  await s.waitFor(/version: 1\b/);
  const text = s.text();
  assert.match(text, /shown: 3/);
  for (const v of [1, 2, 3]) assert.match(text, new RegExp(`version: ${v}\\b`));
  // newest first: v3 changed alpha -> delta, v2 changed beta -> gamma
  assert.match(text, /\+ delta/);
  assert.match(text, /- alpha/);
  assert.match(text, /\+ gamma/);
  assert.match(text, /- beta/);
  assert.ok(text.indexOf('+ delta') < text.indexOf('+ gamma'), 'the newest change comes first');
  await s.press('esc');
  await s.waitFor(() => treeRowName(selectedTreeLine(s)?.text ?? '') === key);
  assert.equal(etcdGet(key)!.version, 3, 'reading history writes nothing');
  await s.press('q');
  await s.waitExit();
});
