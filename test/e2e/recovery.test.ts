import assert from 'node:assert/strict';
import {execFileSync, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {after, test} from 'node:test';
import {repoRoot} from '../helpers/pty.js';
import {ctr} from '../helpers/ctr.js';
import {sandboxEnv} from '../helpers/sandbox-env.js';
import {startUndock, stopAll} from '../helpers/undock.js';

const env = sandboxEnv();
const id = `e2e-after-restart-${process.pid.toString(36)}`;

after(() => {
  stopAll();
  spawnSync('ctr', ['--address', env.address, '-n', 'default', 'tasks', 'kill', '-s', 'SIGKILL', id]);
  spawnSync('ctr', ['--address', env.address, '-n', 'default', 'tasks', 'rm', '-f', id]);
  spawnSync('ctr', ['--address', env.address, '-n', 'default', 'containers', 'rm', id]);
});

test('containerd going away marks the pane stale and the header down; it comes back live by itself', async (t) => {
  const s = startUndock(['--view', 'containers', '--refresh', '30'], {cols: 140, rows: 30});
  await s.waitFor(/ web .*running/);
  await s.waitFor('containerd: ● ');

  const pid = Number(fs.readFileSync(path.join(env.sandbox, 'containerd.pid'), 'utf8'));
  process.kill(pid, 'SIGKILL');
  const down = await s.waitFor((text) => /containerd: ✗/.test(text) && /\[stale\]/.test(text), 5_000);
  // What was known stays on screen, marked stale rather than wiped.
  assert.match(down, / web .*running/);

  execFileSync('bash', ['scripts/sandbox.sh', 'up'], {cwd: repoRoot, stdio: 'ignore'});
  const t0 = Date.now();
  // Live again: the header says so, and the table is showing its rows without the stale mark.
  await s.waitFor((text) => /containerd: ● /.test(text) && /Containers\(default\)\[\d+\]/.test(text) && / web .*running/.test(text) && !/\[stale\]/.test(text), 10_000);
  t.diagnostic(`back live ${Date.now() - t0} ms after containerd answered again`);

  // The event stream is subscribed again: a new container shows without waiting for the 30 s relist.
  ctr('default', 'run', '-d', '--net-host', '--label', `nerdctl/name=${id}`, 'docker.io/library/busybox:latest', id, 'sleep', '600');
  await s.waitFor(new RegExp(` ${id} .*running`), 1_500);
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
});
