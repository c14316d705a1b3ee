import assert from 'node:assert/strict';
import fs from 'node:fs';
import {test} from 'node:test';
import type {PtySession} from '../helpers/pty.js';
import {filterTo} from '../helpers/screen.js';
import {startUndock} from '../helpers/undock.js';

const SIZE = {cols: 120, rows: 30};

/** Types a shell line, waits for what it should print, as a person at the prompt would. */
async function shellLine(s: PtySession, line: string, expect: RegExp): Promise<string> {
  await s.type(line);
  await s.press('enter');
  return s.waitFor(expect, 10_000);
}

async function execRoundTrip(s: PtySession, selectedRow: RegExp): Promise<void> {
  await s.press('s');
  await s.waitFor(/exit the shell to come back[\s\S]*# $/m, 10_000);
  assert.equal(s.bufferType(), 'normal', 'the shell runs on the normal screen, undock has stepped aside');
  await shellLine(s, 'echo $((6*7))', /^42$/m);
  s.resize(100, 33);
  await shellLine(s, 'stty size', /^33 100$/m);
  await s.type('exit');
  await s.press('enter');
  const back = await s.waitFor(/exited with code 0/, 10_000);
  assert.equal(s.bufferType(), 'alternate');
  // The same view, filter and selected row as before the shell.
  assert.match(back, selectedRow);
}

test('s on a native container gives a real shell, resizes reach it, exit comes back to the same row', async () => {
  const s = startUndock(['--view', 'containers'], SIZE);
  await s.waitFor(/ web .*running/);
  await filterTo(s, 'worker');
  await execRoundTrip(s, /Containers\(default\)\[1\/\d+\] <\/worker>[\s\S]* worker .*running/);
  assert.match(s.text(), /\/bin\/sh in worker exited with code 0/);
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
});

test('s on a CRI container of a pod does the same through containerd namespace k8s.io', async () => {
  const s = startUndock(['--view', 'pods'], SIZE);
  await s.waitFor(/nginx-7d9f/);
  await filterTo(s, 'nginx');
  await s.press('enter');
  await s.waitFor(/Containers\(pod default\/nginx-7d9f\)\[1\][\s\S]* nginx .*running/);
  await execRoundTrip(s, /Containers\(pod default\/nginx-7d9f\)\[1\]/);
  assert.match(s.text(), /<pods>\s+<nginx-7d9f>/);
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
});

test('a stopped container says so instead of handing the terminal over', async () => {
  const s = startUndock(['--view', 'containers'], SIZE);
  await s.waitFor(/ batch-job .*Exited \(0\)/);
  await filterTo(s, 'batch-job');
  await s.press('s');
  await s.waitFor(/batch-job is not running/, 5_000);
  assert.equal(s.bufferType(), 'alternate');
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
});

test('logs of a CRI container follow new lines, and / search highlights and finds', async () => {
  const s = startUndock(['--view', 'pods'], SIZE);
  await s.waitFor(/coredns-5d78/);
  await filterTo(s, 'coredns');
  await s.press('enter');
  await s.waitFor(/Containers\(pod kube-system\/coredns-5d78\)\[1\]/);
  await s.press('l');
  const first = await s.waitFor(/Logs coredns \[following\] \d+ lines/);
  const count = (text: string) => Number(/\[following[^\]]*\] (\d+) lines/.exec(text)?.[1] ?? 0);
  const before = count(first);
  // The seeded container logs every 2 s: new lines arrive while following.
  await s.waitFor((text) => count(text) > before, 6_000);
  await s.press('t');
  await s.waitFor(/\[following timestamps\]/);
  await s.waitFor(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/);
  await s.press('/');
  await s.type('NOERROR');
  await s.press('enter');
  await s.waitFor(/<\/NOERROR>/);
  await s.press('N');
  const found = await s.waitFor(/\[paused timestamps\]/);
  assert.match(found, /NOERROR/);
  await s.press('f');
  await s.waitFor(/\[following timestamps\]/);
  await s.press('esc');
  await s.waitFor(/Containers\(pod kube-system\/coredns-5d78\)/);
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
});

test('logs of a native container come from the file its undock/log-uri label names', async () => {
  const s = startUndock(['--view', 'containers'], SIZE);
  await s.waitFor(/ web .*running/);
  await filterTo(s, 'web');
  await s.press('l');
  await s.waitFor(/Logs web \[following\][\s\S]*web: line \d+/);
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
});

test(':exec runs another command with the terminal, and comes back with its exit code', async () => {
  const s = startUndock(['--view', 'containers'], SIZE);
  await s.waitFor(/ worker .*running/);
  await filterTo(s, 'worker');
  await s.press(':');
  await s.type("exec sh -c 'echo exec-$((40+2)); exit 3'");
  await s.press('enter');
  // Its output stays on screen until a key is pressed.
  const kept = await s.waitFor(/exec-42[\s\S]*exited with code 3: press any key to return/, 10_000);
  assert.equal(s.bufferType(), 'normal', 'still the command’s screen');
  await new Promise((r) => setTimeout(r, 500));
  assert.match(s.text(), /exec-42/, 'nothing took the screen back by itself');
  assert.ok(kept);
  await s.press('x');
  // Back in undock: the status line says how it ended.
  const said = /sh -c echo exec-\$\(\(40\+2\)\); exit 3 in worker exited with code 3$/m;
  await s.waitFor((t) => s.bufferType() === 'alternate' && said.test(t), 10_000);
  // The quoted command stayed one word: sh ran it and exited with its code.
  assert.match(s.output(), /exec-42/);
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
});

test('ctrl-s saves the log view to a file', async () => {
  const s = startUndock(['--view', 'containers'], SIZE);
  await s.waitFor(/ web .*running/);
  await filterTo(s, 'web');
  await s.press('l');
  await s.waitFor(/Logs web \[following\][\s\S]*web: line \d+/);
  await s.press('\x13');
  const saved = await s.waitFor(/saved \d+ lines to (\S+)/);
  const file = /saved \d+ lines to (\S+)/.exec(saved)![1]!;
  try {
    assert.match(fs.readFileSync(file, 'utf8'), /web: line \d+/);
  } finally {
    fs.rmSync(file, {force: true});
  }
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
});
