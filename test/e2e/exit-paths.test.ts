import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, test, type TestContext} from 'node:test';
import {closeEtcdClient, etcdctlEnv, openTreeFolders, putKeys, selectTreeRow} from '../helpers/etcd.js';
import {repoRoot, sleep, type PtySession} from '../helpers/pty.js';
import {sandboxEnv} from '../helpers/sandbox-env.js';
import {filterTo} from '../helpers/screen.js';
import {startUndock, stopAll} from '../helpers/undock.js';

// Nothing left behind: every way undock can end ends what it started, and gives the terminal back.
const env = sandboxEnv();
const folder = `undock-exit-${process.pid}/`;
const SIZE = {cols: 140, rows: 30};

after(() => {
  stopAll();
  execFileSync('etcdctl', ['del', '--prefix', folder], {env: etcdctlEnv()});
  closeEtcdClient();
});

/** Host PIDs of processes whose command line is exactly `argv` (an exec'd process in a container shows on the host). */
function pidsOf(...argv: string[]): number[] {
  const want = argv.join('\0') + '\0';
  const out: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/cmdline`, 'latin1') === want) out.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

async function until(what: string, ok: () => boolean, ms: number): Promise<number> {
  const t0 = Date.now();
  while (!ok()) {
    if (Date.now() - t0 > ms) throw new Error(`${what}: not within ${ms} ms`);
    await sleep(50);
  }
  return Date.now() - t0;
}

/** The exec FIFO folders in the temp folder (exec-fifos.ts names them so). */
const fifoDirs = () => new Set(fs.readdirSync(os.tmpdir()).filter((n) => /^undock-exec-(?!test-)/.test(n)));

/** undock on the worker container with `sleep <tag>` exec'd in it, holding the terminal. */
async function execSleep(tag: string): Promise<PtySession> {
  const s = startUndock(['--view', 'containers'], SIZE);
  await s.waitFor(/ worker .*running/);
  await filterTo(s, 'worker');
  await s.press(':');
  await s.type(`exec sleep ${tag}`);
  await s.press('enter');
  await until(`sleep ${tag} runs in the container`, () => pidsOf('sleep', tag).length === 1, 10_000);
  // The exec starts before the terminal is handed over: wait for the handover too.
  await s.waitFor(() => s.bufferType() === 'normal', 5_000);
  return s;
}

for (const [signal, number] of [['SIGTERM', 15], ['SIGHUP', 1], ['SIGINT', 2]] as const) {
  test(`${signal} to undock while an exec runs: the exec is killed in the container, the terminal given back`, async (t: TestContext) => {
    const tag = String(4240000 + number);
    const before = fifoDirs();
    const s = await execSleep(tag);
    const made = [...fifoDirs()].filter((d) => !before.has(d));
    assert.equal(made.length, 1, 'the exec has its FIFO folder while it runs');
    const t0 = Date.now();
    process.kill(s.proc.pid, signal);
    assert.equal(await s.waitExit(5_000), 128 + number);
    const exitMs = Date.now() - t0;
    const goneMs = await until(`sleep ${tag} ended`, () => pidsOf('sleep', tag).length === 0, 5_000);
    t.diagnostic(`${signal}: undock exited ${exitMs} ms after the signal; the exec was gone ${Date.now() - t0} ms after it (${goneMs} ms after the exit)`);
    assert.equal(s.bufferType(), 'normal');
    assert.ok(!fifoDirs().has(made[0]!), `its FIFO folder ${made[0]} is removed`);
  });
}

test('containerd restarting under an exec: undock takes the terminal back, keys typed for the exec are not commands, the exec is killed once containerd is back', async (t: TestContext) => {
  const tag = '4249999';
  const before = fifoDirs();
  const s = await execSleep(tag);
  const made = [...fifoDirs()].filter((d) => !before.has(d));
  assert.equal(made.length, 1, 'the exec has its FIFO folder while it runs');
  const pid = Number(fs.readFileSync(path.join(env.sandbox, 'containerd.pid'), 'utf8'));
  let upMs = 0;
  try {
    process.kill(pid, 'SIGKILL');
    // Typed for the exec as containerd dies: if it reached undock's UI, :q would quit it.
    s.proc.write(':q\r');
    await s.waitFor(/containerd went away while the process ran: undock kills it as soon as containerd answers again/, 10_000);
    assert.equal(s.bufferType(), 'alternate');
    await sleep(1_000);
    assert.equal(s.exitCode, undefined, 'undock is still running: the keys typed for the exec did not quit it');
    assert.equal(pidsOf('sleep', tag).length, 1, 'the shim keeps the exec alive while containerd is away');
  } finally {
    const t0 = Date.now();
    execFileSync('bash', ['scripts/sandbox.sh', 'up'], {cwd: repoRoot, stdio: 'ignore'});
    upMs = Date.now() - t0;
  }
  const goneMs = await until(`sleep ${tag} ended`, () => pidsOf('sleep', tag).length === 0, 20_000);
  t.diagnostic(`containerd back after ${upMs} ms; the exec killed ${goneMs} ms later`);
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
  assert.ok(!fifoDirs().has(made[0]!), `its FIFO folder ${made[0]} is removed`);
});

for (const [signal, number] of [['SIGQUIT', 3], ['SIGUSR2', 12], ['SIGALRM', 14]] as const) {
  test(`${signal} gives the normal screen back`, async () => {
    const s = startUndock(['--view', 'containers'], SIZE);
    await s.waitFor(/ web .*running/);
    assert.equal(s.bufferType(), 'alternate');
    process.kill(s.proc.pid, signal);
    assert.equal(await s.waitExit(5_000), 128 + number);
    assert.equal(s.bufferType(), 'normal');
  });
}

/** Whether anything listens on 127.0.0.1:9229 (Node's inspector), from /proc/net/tcp. */
function inspectorListening(): boolean {
  return fs
    .readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .some((l) => / 0100007F:240D 00000000:0000 0A /.test(l));
}

test('SIGUSR1 opens no inspector on 127.0.0.1:9229, and undock goes on', async () => {
  assert.ok(!inspectorListening(), 'nothing on 9229 before');
  const s = startUndock(['--view', 'containers'], SIZE);
  await s.waitFor(/ web .*running/);
  process.kill(s.proc.pid, 'SIGUSR1');
  await sleep(1_000);
  assert.ok(!inspectorListening(), 'no inspector after SIGUSR1');
  assert.equal(s.exitCode, undefined);
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
});

test('an editor that exits with -opost set: undock draws its lines from the left edge again, no staircase', async () => {
  await putKeys([[`${folder}value`, 'before\n']]);
  const editor = path.join(repoRoot, 'test/fixtures/opost-editor.sh');
  const s = startUndock(['--view', 'keys'], {cols: 140, rows: 30, env: {EDITOR: `sh ${editor}`, VISUAL: '', TMPDIR: os.tmpdir()}});
  await s.waitFor(/etcd keys \(v3 API/);
  await openTreeFolders(s, folder);
  await selectTreeRow(s, 'value');
  await s.press('e');
  const screen = await s.waitFor(/Write \S*value\?/, 10_000);
  const lines = screen.split('\n');
  assert.match(lines[0]!, /^undock \d/);
  assert.match(lines[1]!, /^containerd: /, `the second line starts at the left edge:\n${screen}`);
  assert.match(lines[2]!, /^CRI: /);
  assert.match(lines[3]!, /^etcd: /);
  await s.press('esc');
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
});
