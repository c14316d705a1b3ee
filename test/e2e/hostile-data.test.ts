import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, test, type TestContext} from 'node:test';
import {closeEtcdClient, etcdctlEnv, openTreeFolders, putKeys, selectTreeRow} from '../helpers/etcd.js';
import {ctr} from '../helpers/ctr.js';
import type {PtySession} from '../helpers/pty.js';
import {sandboxEnv} from '../helpers/sandbox-env.js';
import {filterTo} from '../helpers/screen.js';
import {startUndock, stopAll} from '../helpers/undock.js';

// Hostile data against the real daemons: a 1.5 MiB nested value, a 50 MB log line, a stopped etcd.
const env = sandboxEnv();
const folder = `undock-hostile-${process.pid}/`;
const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'undock-hostile-'));
const container = `hostile-log-${process.pid.toString(36)}`;
const etcdPid = () => Number(fs.readFileSync(path.join(env.sandbox, 'etcd.pid'), 'utf8'));

after(() => {
  stopAll();
  try {
    process.kill(etcdPid(), 'SIGCONT');
  } catch {
    // not stopped, or gone
  }
  spawnSync('etcdctl', ['del', '--prefix', folder], {env: etcdctlEnv()});
  spawnSync('ctr', ['--address', env.address, '-n', 'default', 'containers', 'rm', container]);
  closeEtcdClient();
  fs.rmSync(logDir, {recursive: true, force: true});
});

/** undock's own memory: the resident size now and its high-water mark, in MB. */
function memory(s: PtySession): {rssMB: number; peakMB: number} {
  const status = fs.readFileSync(`/proc/${s.proc.pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return {rssMB: kb('VmRSS') / 1024, peakMB: kb('VmHWM') / 1024};
}

/** etcd's default --max-request-bytes is 1.5 MiB, the key and the request's framing included. */
const NESTED = 1536 * 1024 - 4096;

test('a 1.5 MiB value of nested arrays previews at once, in bounded memory', async (t: TestContext) => {
  await putKeys([
    [`${folder}a-small`, '{"body":"the small one"}'],
    [`${folder}b-deep`, '['.repeat(NESTED / 2) + ']'.repeat(NESTED / 2)],
  ]);
  const s = startUndock(['--view', 'keys'], {cols: 160, rows: 36});
  await s.waitFor(/etcd keys \(v3 API/);
  await openTreeFolders(s, folder);
  await selectTreeRow(s, 'a-small');
  await s.waitFor(/"body": "the small one"/);
  const before = memory(s);
  const t0 = Date.now();
  await s.press('down');
  // The value's size and kind, then its first levels, indented.
  const screen = await s.waitFor(/1\.5 MiB · json · v1[^\n]*\n[^\n]*\[\n[^\n]*\[\n/, 10_000);
  const ms = Date.now() - t0;
  const after = memory(s);
  t.diagnostic(`1.5 MiB nested value: preview on screen ${ms} ms after the key press (read from etcd included); undock RSS ${before.rssMB.toFixed(0)} -> ${after.rssMB.toFixed(0)} MB, peak ${before.peakMB.toFixed(0)} -> ${after.peakMB.toFixed(0)} MB`);
  assert.doesNotMatch(screen, /the small one/);
  assert.ok(ms < 2_000, `${ms} ms`);
  assert.ok(after.peakMB - before.peakMB < 50, `peak grew by ${(after.peakMB - before.peakMB).toFixed(0)} MB`);
  // Still answering keys at once.
  const t1 = Date.now();
  await s.press('up');
  await s.waitFor(/"body": "the small one"/);
  t.diagnostic(`and back to the small key: ${Date.now() - t1} ms`);
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
});

test('with etcd stopped, moving to a key shows its name and loading… alone, never the previous body', async () => {
  await putKeys([
    [`${folder}a-small`, '{"body":"the small one"}'],
    [`${folder}c-other`, '{"body":"the other one"}'],
  ]);
  const s = startUndock(['--view', 'keys'], {cols: 160, rows: 36});
  await s.waitFor(/etcd keys \(v3 API/);
  await openTreeFolders(s, folder);
  await selectTreeRow(s, 'a-small');
  await s.waitFor(/"body": "the small one"/);
  // SIGSTOP: etcd holds its connections and answers nothing, as a hung or overloaded daemon does.
  process.kill(etcdPid(), 'SIGSTOP');
  try {
    await selectTreeRow(s, 'c-other');
    const screen = await s.waitFor(new RegExp(`${folder}c-other\\s*\\n[^\\n]*loading…`), 5_000);
    assert.doesNotMatch(screen, /the small one/);
    await new Promise((r) => setTimeout(r, 1_000));
    assert.doesNotMatch(s.text(), /the small one/, 'a second later, still nothing of the previous key');
  } finally {
    process.kill(etcdPid(), 'SIGCONT');
  }
  await s.waitFor(/"body": "the other one"/, 15_000);
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
});

test('a log with one 50 MB line opens fast, holds no 50 MB, and keys answer at once', async (t: TestContext) => {
  const file = path.join(logDir, 'one-line.log');
  const fd = fs.openSync(file, 'w');
  const piece = Buffer.alloc(1024 * 1024, 'x');
  for (let i = 0; i < 50; i++) fs.writeSync(fd, piece);
  fs.writeSync(fd, '\n');
  fs.closeSync(fd);
  ctr('default', 'containers', 'create', '--label', `undock/log-uri=file://${file}`, 'docker.io/library/busybox:latest', container);

  const s = startUndock(['--view', 'containers'], {cols: 120, rows: 30});
  await s.waitFor(new RegExp(` ${container} `));
  await filterTo(s, container);
  const before = memory(s);
  const t0 = Date.now();
  await s.press('l');
  await s.waitFor(/Logs \S+ \[following\] 1 lines[\s\S]*xxxxxxxxxx/, 10_000);
  const openMs = Date.now() - t0;
  // Wrapped, the end of the line shows: the marker that says it was cut.
  const t1 = Date.now();
  await s.press('w');
  await s.waitFor(/xxxx … \[line cut at 16 KiB\]/, 5_000);
  const wrapMs = Date.now() - t1;
  const keys: number[] = [];
  for (const k of ['w', 'w', 't', 't']) {
    const t2 = Date.now();
    const was = s.text();
    await s.proc.write(k);
    await s.waitFor((text) => text !== was, 5_000);
    keys.push(Date.now() - t2);
  }
  const after = memory(s);
  t.diagnostic(
    `50 MB line: log view open ${openMs} ms, wrap on ${wrapMs} ms, later keys ${keys.join(', ')} ms; undock RSS ${after.rssMB.toFixed(0)} MB, peak ${before.peakMB.toFixed(0)} -> ${after.peakMB.toFixed(0)} MB`,
  );
  assert.ok(openMs < 2_000, `open took ${openMs} ms`);
  assert.ok(Math.max(wrapMs, ...keys) < 500, `keys took ${wrapMs}, ${keys.join(', ')} ms`);
  assert.ok(after.peakMB - before.peakMB < 50, `peak grew by ${(after.peakMB - before.peakMB).toFixed(0)} MB`);
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
});
