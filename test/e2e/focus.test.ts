// Focus reporting: undock asks the terminal for it (CSI ?1004h), rests while the focus is away,
// catches up at once when it comes back, and turns the reporting off on every way out.
import assert from 'node:assert/strict';
import {randomBytes} from 'node:crypto';
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, test} from 'node:test';
import {ctr} from '../helpers/ctr.js';
import {etcdctl} from '../helpers/etcd.js';
import {sleep} from '../helpers/pty.js';
import {sandboxEnv} from '../helpers/sandbox-env.js';
import {startUndock} from '../helpers/undock.js';

const env = sandboxEnv();
const run = randomBytes(3).toString('hex');
const made: string[] = [];
const ON = '\x1b[?1004h';
const OFF = '\x1b[?1004l';

after(() => {
  for (const ns of made) spawnSync('ctr', ['--address', env.address, 'namespaces', 'rm', ns]);
});

/** Whether the reporting was turned off after it was last turned on. */
const offAtEnd = (out: string) => out.lastIndexOf(OFF) > out.lastIndexOf(ON) && out.includes(ON);

test('while the terminal has lost the focus the view is not reloaded; focus-in catches up at once; q turns the reporting off', async () => {
  const s = startUndock(['--view', 'events']);
  await s.waitFor(/Events\[\d+\] recording since/, 20_000);
  assert.ok(s.output().includes(ON), 'focus reporting asked for');
  s.proc.write('\x1b[O');
  await sleep(300);
  const ns = `undock-focus-${run}`;
  made.push(ns);
  ctr('default', 'namespaces', 'create', ns);
  // Unfocused, the event is recorded but not shown: the relist waits for the focus.
  await sleep(2_500);
  const away = s.text();
  assert.match(away, /Events\[\d+\] recording since/, 'the events view is showing');
  assert.ok(!away.includes(ns), `not shown while unfocused:\n${away}`);
  const t0 = Date.now();
  s.proc.write('\x1b[I');
  await s.waitFor(ns, 2_000);
  const back = Date.now() - t0;
  // The focus reports were not taken as keys: no unknown key, still the events view.
  assert.ok(!/unknown/i.test(s.text()), s.text());
  assert.match(s.text(), /Events\[\d+\]/);
  assert.ok(back < 2_000, `shown ${back} ms after focus-in`);
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
  assert.ok(offAtEnd(s.output()), 'focus reporting turned off at quit');
});

test('SIGTERM turns the focus reporting off too', async () => {
  const s = startUndock(['--view', 'events']);
  await s.waitFor(/Events\[\d+\]/, 20_000);
  s.proc.kill('SIGTERM');
  await s.waitExit();
  assert.ok(offAtEnd(s.output()), 'focus reporting turned off on SIGTERM');
});

test('the focus reporting is off while $EDITOR has the terminal, and on again when undock takes it back', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'undock-focus-'));
  const editor = path.join(dir, 'editor.sh');
  fs.writeFileSync(editor, '#!/bin/sh\necho FOCUS-EDITOR-RAN\nsleep 0.5\n', {mode: 0o700});
  const key = `/undock-focus-${run}/k`;
  etcdctl('put', key, 'focus-value-1');
  try {
    const s = startUndock(['--view', 'keys'], {env: {EDITOR: editor}});
    await s.waitFor(/etcd keys[^\n]*\[\d+\]/, 20_000);
    await s.press('/');
    await s.type(key);
    await s.press('enter');
    await s.waitFor('focus-value-1');
    await s.press('e');
    await s.waitFor(() => s.output().includes('FOCUS-EDITOR-RAN'), 10_000);
    const handed = s.output().slice(0, s.output().indexOf('FOCUS-EDITOR-RAN'));
    assert.ok(offAtEnd(handed), 'focus reporting off before the editor runs');
    // Back from the editor (an unchanged value: nothing to write): the reporting is on again.
    await s.waitFor(() => s.output().lastIndexOf(ON) > s.output().indexOf('FOCUS-EDITOR-RAN'), 10_000);
    await s.press('q');
    await s.waitExit();
    assert.ok(offAtEnd(s.output()), 'off at quit');
  } finally {
    etcdctl('del', key);
    fs.rmSync(dir, {recursive: true, force: true});
  }
});
