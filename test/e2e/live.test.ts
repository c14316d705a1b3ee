// Figures that move on their own, and data that keeps coming while a shell has the terminal.
import assert from 'node:assert/strict';
import {randomBytes} from 'node:crypto';
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, test} from 'node:test';
import {ctr} from '../helpers/ctr.js';
import {createTestPod, removeTestPod, sandboxCri, startPodContainer, type TestPod} from '../helpers/cri-pod.js';
import {etcdctl, etcdctlEnv} from '../helpers/etcd.js';
import type {PtySession} from '../helpers/pty.js';
import {escapeRe, filterTo} from '../helpers/screen.js';
import {sandboxEnv} from '../helpers/sandbox-env.js';
import {startUndock, stopAll} from '../helpers/undock.js';

const env = sandboxEnv();
const run = randomBytes(3).toString('hex');
const SIZE = {cols: 150, rows: 34};
const BUSYBOX = 'docker.io/library/busybox:latest';
const made: string[] = [];
const pods: TestPod[] = [];
const cri = sandboxCri();
const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'undock-live-'));
const etcdKey = `/undock-live-${run}/rev`;

after(async () => {
  stopAll();
  for (const id of made) {
    spawnSync('ctr', ['--address', env.address, '-n', 'default', 'tasks', 'rm', '-f', id]);
    spawnSync('ctr', ['--address', env.address, '-n', 'default', 'containers', 'rm', id]);
  }
  for (const pod of pods) await removeTestPod(cri, pod).catch(() => undefined);
  cri.conn.close();
  spawnSync('etcdctl', ['del', etcdKey], {env: etcdctlEnv()});
  fs.rmSync(logDir, {recursive: true, force: true});
});

/** The seeded containers' cgroup parent, so runc state and cgroups stay inside the sandbox. */
function cgroupParent(): string {
  const web = JSON.parse(ctr('default', 'containers', 'info', 'web')) as {Spec: {linux: {cgroupsPath: string}}};
  return path.dirname(path.dirname(web.Spec.linux.cgroupsPath));
}

/** `ctr run -d` in namespace default, outside undock, as an operator would. */
function ctrRun(id: string, flags: string[], ...command: string[]): void {
  made.push(id);
  const where = ['--runc-root', path.join(env.sandbox, 'runc'), '--cgroup', `${cgroupParent()}/default/${id}`];
  ctr('default', 'run', '-d', '--net-host', ...where, ...flags, BUSYBOX, id, ...command);
}

function rowOf(screen: string, name: string): string | undefined {
  return screen.split('\n').find((l) => l.startsWith(` ${name} `));
}

async function command(s: PtySession, line: string): Promise<void> {
  await s.press(':');
  await s.type(line);
  await s.press('enter');
}

test('a container started with ctr run --log-uri file://: l shows its lines; its AGE counts seconds; t says a plain file has no timestamps', async () => {
  const id = `ctr-log-${run}`;
  const file = path.join(logDir, `${id}.log`);
  ctrRun(id, [`--log-uri=file://${file}`], 'sh', '-c', 'i=0; while true; do i=$((i+1)); echo "ctr-log line $i"; sleep 0.3; done');
  const s = startUndock(['--view', 'containers', '--refresh', '30'], SIZE);
  await filterTo(s, id);
  // AGE is live: it moves every second, not at the next relist (30 s here).
  const age = (t: string) => Number(/ (\d+)s\s*$/.exec(rowOf(t, id) ?? '')?.[1] ?? NaN);
  const first = age(await s.waitFor((t) => Number.isFinite(age(t))));
  await s.waitFor((t) => age(t) >= first + 2, 3_500);

  await s.press('l');
  const screen = await s.waitFor(new RegExp(`Logs ${escapeRe(id)} \\[following\\][\\s\\S]*ctr-log line \\d+`));
  // The lines are the file's: containerd's own record of where the task writes (Tasks.Get stdout).
  const shown = screen.split('\n').filter((l) => /^ctr-log line \d+$/.test(l.trim())).map((l) => l.trim());
  const written = fs.readFileSync(file, 'utf8').split('\n');
  for (const line of shown) assert.ok(written.includes(line), `${line} is in ${file}`);
  await s.press('t');
  await s.waitFor(/\[following no timestamps: a plain file log has none\]/);
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
});

test('l on a container whose stdout is a FIFO of the ctr that started it says exactly that, and what would give a log', async () => {
  const id = `ctr-fifo-${run}`;
  ctrRun(id, [], 'sleep', '600');
  const s = startUndock(['--view', 'containers'], SIZE);
  await filterTo(s, id);
  await s.press('l');
  await s.waitFor(new RegExp(`container ${escapeRe(id)} has no log undock can read: its stdout is a FIFO`));
  assert.match(s.text().replace(/\s+/g, ' '), /ctr run --log-uri file:\/\/\/path\/x\.log/);
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
});

test('containers made while a shell has the terminal are all in :events afterwards, by name; it says since when it records', async () => {
  const s = startUndock(['--view', 'containers'], SIZE);
  await s.waitFor(/ worker .*running/);
  const opened = new Date();
  await filterTo(s, 'worker');
  await s.press('s');
  await s.waitFor(/exit the shell to come back[\s\S]*# $/m, 10_000);
  // Meanwhile, outside undock: three containers created, started, and exited.
  const names = ['a', 'b', 'c'].map((x) => `ev-${run}-${x}`);
  for (const name of names) ctrRun(`evid-${name}`, ['--null-io', '--label', `nerdctl/name=${name}`], 'sh', '-c', 'exit 0');
  for (let i = 0; i < 50 && names.some((n) => !/STOPPED/.test(ctr('default', 'tasks', 'ls').split('\n').find((l) => l.startsWith(`evid-${n} `)) ?? '')); i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  await s.type('exit');
  await s.press('enter');
  await s.waitFor(/exited with code 0/, 10_000);

  await command(s, 'events');
  await s.waitFor(/Events\[\d+\]/);
  await s.press('/');
  await s.type(`ev-${run}`);
  await s.press('enter');
  const screen = await s.waitFor((t) => names.every((n) => new RegExp(`/tasks/exit\\s+${escapeRe(n)}\\s+pid \\d+\\s+exit 0`).test(t)), 5_000);
  for (const n of names) {
    assert.match(screen, new RegExp(`/containers/create\\s+${escapeRe(n)}\\s+image ${escapeRe(BUSYBOX)}`), `${n} created`);
    assert.match(screen, new RegExp(`/tasks/start\\s+${escapeRe(n)}\\s+pid \\d+`), `${n} started`);
  }
  const since = /recording since (\d\d:\d\d:\d\d) UTC/.exec(screen)?.[1];
  assert.ok(since, 'the view says since when it records');
  assert.ok(since <= opened.toISOString().slice(11, 19), `recording since ${since}, before the shell opened`);
  assert.doesNotMatch(screen, /resubscribed/, 'the subscription was never lost');
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
});

test("the header's etcd rev follows the key tree's watch, not the next probe", async () => {
  const s = startUndock(['--view', 'keys'], SIZE);
  await s.waitFor(/etcd keys[^\n]*\[\d+\]/);
  await s.waitFor(/etcd: ● .* rev \d+/);
  for (let i = 0; i < 3; i++) {
    const put = JSON.parse(etcdctl('put', etcdKey, `v${i}`, '-w', 'json')) as {header: {revision: number | string}};
    const revision = String(put.header.revision);
    // The probe runs every 30 s: within a second only the watch can have told it.
    await s.waitFor(new RegExp(`etcd: ● .* rev ${revision}\\b`), 1_000);
  }
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
});

test('l on a pod shows its container’s log; with two containers it asks which (enter picks)', async () => {
  const pod = await createTestPod(cri, {name: `live-${run}`, container: 'app', script: 'echo "app says hi"; while true; do sleep 1; done'});
  pods.push(pod);
  const s = startUndock(['--view', 'pods'], SIZE);
  await s.waitFor(pod.name);
  await filterTo(s, pod.name);
  await s.press('l');
  await s.waitFor(/Logs app \[following\][\s\S]*app says hi/);
  await s.press('esc');
  await s.waitFor(/Pods\[1\/\d+\]/);

  await startPodContainer(cri, pod, {name: 'side', attempt: 0, script: 'echo "side says hi"; while true; do sleep 1; done'});
  await s.press('l');
  await s.waitFor(new RegExp(`Containers\\(pod undock-e2e/${escapeRe(pod.name)}\\) pick one for logs \\(enter\\)`));
  await filterTo(s, 'side');
  await s.press('enter');
  await s.waitFor(/Logs side \[following\][\s\S]*side says hi/);
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
});
