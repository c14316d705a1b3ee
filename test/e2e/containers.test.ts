import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {after, test} from 'node:test';
import {assertShowing, filterTo} from '../helpers/screen.js';
import {ctr} from '../helpers/ctr.js';
import {sandboxEnv} from '../helpers/sandbox-env.js';
import {startUndock, stopAll} from '../helpers/undock.js';

const env = sandboxEnv();
const made: string[] = [];
const suffix = process.pid.toString(36);
const SIZE = {cols: 140, rows: 32};

after(() => {
  stopAll();
  for (const id of made) {
    spawnSync('ctr', ['--address', env.address, '-n', 'default', 'tasks', 'kill', '-s', 'SIGKILL', id]);
    spawnSync('ctr', ['--address', env.address, '-n', 'default', 'tasks', 'rm', '-f', id]);
    spawnSync('ctr', ['--address', env.address, '-n', 'default', 'containers', 'rm', id]);
  }
});

/** A running container made with ctr, as an operator would outside undock. */
function ctrRun(id: string, cmd = 'sleep 600'): void {
  made.push(id);
  ctr('default', 'run', '-d', '--net-host', '--label', `nerdctl/name=${id}`, 'docker.io/library/busybox:latest', id, 'sh', '-c', cmd);
}

function rowOf(screen: string, name: string): string | undefined {
  return screen.split('\n').find((l) => l.startsWith(` ${name} `));
}

test(':co lists the seeded containers with status from their tasks', async () => {
  const s = startUndock([], SIZE);
  await s.waitFor('Images(default)');
  await s.press(':');
  await s.type('co');
  await s.press('enter');
  const screen = await s.waitFor(/Containers\(default\)\[\d+\][\s\S]*worker/);
  assert.match(screen, /NAME↑\s+ID\s+IMAGE\s+STATUS\s+PID\s+CPU%\s+MEM\s+AGE/);
  assert.match(rowOf(screen, 'web')!, /docker\.io\/library\/busybox:latest\s+running\s+\d+/);
  assert.match(rowOf(screen, 'batch-job')!, /Exited \(0\) \d+[smhd] ago/);
  assert.match(rowOf(screen, 'failed-job')!, /Exited \(3\) \d+[smhd] ago/);
  // Its task was deleted: containerd 1.6 cannot tell that from never started, so it says no task.
  assert.match(rowOf(screen, 'unstarted')!, /localhost\/undock\/toolbox:dev\s+no task/);
  await s.waitFor((text) => /\d+\.\d (KiB|MiB)/.test(rowOf(text, 'web') ?? ''), 5_000);
  // All namespaces: the CRI containers of k8s.io join, with a namespace column.
  await s.press('0');
  const all = await s.waitFor(/Containers\(all\)[\s\S]*k8s\.io/);
  assert.match(all, /NAMESPACE\s+NAME/);
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
});

test('containers made, killed and removed with ctr show within a second, from events alone', async () => {
  const id = `e2e-live-${suffix}`;
  const s = startUndock(['--view', 'containers', '--refresh', '30'], SIZE);
  await s.waitFor('Containers(default)');
  await s.waitFor(/ web /);
  let t0 = Date.now();
  ctrRun(id);
  await s.waitFor((text) => /running\s+\d+/.test(rowOf(text, id) ?? ''), 1_000);
  const created = Date.now() - t0;
  t0 = Date.now();
  ctr('default', 'tasks', 'kill', '-s', 'SIGKILL', id);
  await s.waitFor((text) => /Exited \(137\) \d+s ago/.test(rowOf(text, id) ?? ''), 1_000);
  const killed = Date.now() - t0;
  t0 = Date.now();
  ctr('default', 'tasks', 'rm', id);
  ctr('default', 'containers', 'rm', id);
  // Gone from a containers table that still lists the seeded web container.
  await s.waitFor((text) => /Containers\(default\)\[\d+\]/.test(text) && rowOf(text, 'web') !== undefined && rowOf(text, id) === undefined, 1_000);
  const removed = Date.now() - t0;
  assert.ok(created <= 1_000 && killed <= 1_000 && removed <= 1_000, `${created} ${killed} ${removed}`);
  await s.press('q');
  await s.waitExit();
});

test('stop asks first, then SIGTERMs; start brings it back; describe and processes show it', async () => {
  const id = `e2e-stop-${suffix}`;
  ctrRun(id, 'trap "exit 0" TERM; while true; do sleep 1; done');
  const s = startUndock(['--view', 'containers'], SIZE);
  await s.waitFor((text) => /running/.test(rowOf(text, id) ?? ''));
  await filterTo(s, id);

  await s.press('enter');
  const procs = await s.waitFor(/Processes\(default\/e2e-stop-[\s\S]*sh -c trap/);
  assert.match(procs, /PID↑\s+STATE\s+RSS\s+COMMAND/);
  await s.press('esc');
  await s.waitFor(/Containers\(default\)\[1\/\d+\]/);

  await s.press('d');
  let detail = await s.waitFor(/nerdctl\/name: e2e-stop-/);
  assert.match(detail, /container:/);
  assert.match(detail, /status: running/);
  await s.press('y');
  detail = await s.waitFor(/"nerdctl\/name": "e2e-stop-/);
  assert.match(detail, /\[json\]/);
  await s.press('esc');
  await s.waitFor(/Containers\(default\)\[1\/\d+\]/);

  await s.press('x');
  const dialog = await s.waitFor(`Stop container ${id}?`);
  assert.match(dialog, /SIGTERM, then SIGKILL if it is still running after 10 s/);
  assert.match(dialog, /Cancel/);
  // enter on the default button cancels: nothing is sent.
  await s.press('enter');
  await s.waitFor('cancelled');
  assert.match(ctr('default', 'tasks', 'ls'), new RegExp(`${id}\\s+\\d+\\s+RUNNING`));

  await s.press('x');
  await s.waitFor(`Stop container ${id}?`);
  await s.press('y');
  await s.waitFor(`stopped ${id} (exit 0)`, 15_000);
  assert.match(ctr('default', 'tasks', 'ls'), new RegExp(`${id}\\s+\\d+\\s+STOPPED`));
  await s.waitFor((text) => /Exited \(0\) \d+s ago/.test(rowOf(text, id) ?? ''));

  await s.press('t');
  await s.waitFor(`Start container ${id}?`);
  await s.press('y');
  await s.waitFor(new RegExp(`started ${id} \\(pid \\d+\\)`), 10_000);
  assert.match(ctr('default', 'tasks', 'ls'), new RegExp(`${id}\\s+\\d+\\s+RUNNING`));
  await s.press('q');
  await s.waitExit();
});

test('delete is confirmed and removes task, container and snapshot; esc keeps everything', async () => {
  const id = `e2e-del-${suffix}`;
  ctrRun(id);
  const s = startUndock(['--view', 'containers'], SIZE);
  await s.waitFor((text) => /running/.test(rowOf(text, id) ?? ''));
  await filterTo(s, id);
  await s.press('ctrl+d');
  const dialog = await s.waitFor(`Delete container ${id}?`);
  assert.match(dialog, /its task is running \(pid \d+\): it is killed with SIGKILL/);
  assert.match(dialog, /the container record and its snapshot \(its writable layer\) are removed/);
  await s.press('esc');
  await s.waitFor('cancelled');
  assert.match(ctr('default', 'containers', 'ls', '-q'), new RegExp(`^${id}$`, 'm'));

  await s.press('ctrl+d');
  await s.waitFor(`Delete container ${id}?`);
  await s.press('tab');
  await s.press('enter');
  await s.waitFor(`deleted ${id}`, 10_000);
  // The filtered table is showing, and it has no row left.
  await s.waitFor((text) => /Containers\(default\)\[0\/\d+\]/.test(text) && rowOf(text, id) === undefined);
  assert.doesNotMatch(ctr('default', 'containers', 'ls', '-q'), new RegExp(`^${id}$`, 'm'));
  assert.doesNotMatch(ctr('default', 'snapshots', 'ls'), new RegExp(`^${id}\\s`, 'm'));
  await s.press('q');
  await s.waitExit();
});

test('--readonly refuses a delete before asking, and nothing changes', async () => {
  const s = startUndock(['--view', 'containers', '--readonly'], SIZE);
  await s.waitFor('[readonly]');
  await s.waitFor(/ web /);
  await filterTo(s, 'web');
  await s.press('ctrl+d');
  const refused = await s.waitFor('delete refused: undock runs with --readonly');
  assertShowing(refused, /Containers\(default\)\[1\/\d+\] <\/web>/);
  assert.doesNotMatch(refused, /Delete container/);
  assert.match(ctr('default', 'tasks', 'ls'), /web\s+\d+\s+RUNNING/);
  await s.press('q');
  await s.waitExit();
});

test('the command bar takes aliases (:po, :kv) and says when a command is unknown', async () => {
  const s = startUndock([], SIZE);
  await s.waitFor('Images(default)');
  await s.press(':');
  await s.type('po');
  await s.press('enter');
  await s.waitFor(/Pods\[\d+\]/);
  await s.press(':');
  await s.type('nosuch');
  await s.press('enter');
  await s.waitFor('unknown command ":nosuch"');
  await s.press(':');
  await s.type('kv');
  await s.press('enter');
  await s.waitFor(/etcd keys \(v3 API, rev \d+\) \[\d+\][\s\S]*▸ config\//);
  await s.press(':');
  await s.type('q');
  await s.press('enter');
  assert.equal(await s.waitExit(), 0);
});
