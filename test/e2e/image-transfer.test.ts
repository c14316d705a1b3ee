import assert from 'node:assert/strict';
import {execFile, spawnSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {after, test} from 'node:test';
import {ctr, ctrImages} from '../helpers/ctr.js';
import {createTestPod, removeTestPod, sandboxCri, type TestPod} from '../helpers/cri-pod.js';
import {writeDockerArchive} from '../helpers/docker-archive.js';
import {escapeRe, filterTo} from '../helpers/screen.js';
import {sandboxEnv} from '../helpers/sandbox-env.js';
import {startUndock, stopAll} from '../helpers/undock.js';

const env = sandboxEnv();
const cri = sandboxCri();
const run = randomBytes(3).toString('hex');
const NS = `e2eimg-${run}`;
const NS2 = `e2eimg2-${run}`;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'undock-e2e-img-'));
const CTRL_U = '\x15';
const IMPORTED = `docker.io/undock/e2e:${run}`;
const pods: TestPod[] = [];

function quiet(ns: string, ...args: string[]): void {
  spawnSync('ctr', ['--address', env.address, '-n', ns, ...args], {stdio: 'ignore'});
}

function dropNamespace(ns: string): void {
  const ids = (what: string) => spawnSync('ctr', ['--address', env.address, '-n', ns, what, 'ls', '-q'], {encoding: 'utf8'}).stdout.split('\n').filter(Boolean);
  for (const id of ids('tasks')) quiet(ns, 'tasks', 'kill', '-s', 'SIGKILL', id), quiet(ns, 'tasks', 'rm', '-f', id);
  for (const id of ids('containers')) quiet(ns, 'containers', 'rm', id);
  for (const id of ids('images')) quiet(ns, 'images', 'rm', '--sync', id);
  quiet('default', 'namespaces', 'rm', ns);
  fs.rmSync(path.join(env.sandbox, 'runc', ns), {recursive: true, force: true});
  for (const c of fs.readdirSync('/sys/fs/cgroup')) {
    try {
      fs.rmdirSync(path.join('/sys/fs/cgroup', c, process.env.UNDOCK_CGROUP_PARENT ?? '/', ns));
    } catch {
      // not made under this controller
    }
  }
}

after(async () => {
  stopAll();
  dropNamespace(NS);
  dropNamespace(NS2);
  // Through CRI: it removes the image with the ID record it added (sha256:<config>), as crictl rmi.
  await cri.removeImage(IMPORTED).catch(() => undefined);
  for (const p of pods) await removeTestPod(cri, p);
  cri.conn.close();
  fs.rmSync(tmp, {recursive: true, force: true});
});

/** The text inside a dialog or form box, its wrapped lines joined with single spaces. */
function boxText(screen: string): string {
  return screen
    .split('\n')
    .filter((l) => l.startsWith('│'))
    .map((l) => l.replace(/^│|│$/g, '').trim())
    .join(' ')
    .replace(/\s+/g, ' ');
}

function curl(url: string): Promise<{ok: boolean; body: string}> {
  return new Promise((resolve) => execFile('curl', ['-s', '--max-time', '5', url], {encoding: 'utf8'}, (err, out) => resolve({ok: !err, body: out})));
}

test(':import a docker save archive, r runs it, t tags it, x exports it (ctr imports that), u prunes only the unused name', {timeout: 120_000}, async () => {
  const archive = path.join(tmp, 'built.tar');
  writeDockerArchive(archive, `undock/e2e:${run}`, ['sh', '-c', 'echo from-the-import; sleep 300']);
  ctr('default', 'namespaces', 'create', NS);
  const s = startUndock(['-n', NS]);
  await s.waitFor(`Images(${NS})`, 30_000);
  await s.press(':');
  await s.type(`import ${archive}`);
  await s.press('enter');
  await s.waitFor(new RegExp(`imported ${escapeRe(IMPORTED)} \\(docker archive\\)`), 30_000);
  const row = ctrImages(NS).find((r) => r.REF === IMPORTED);
  assert.ok(row, `ctr lists ${IMPORTED}`);

  await s.waitFor(new RegExp(`undock/e2e\\s+${run}`));
  await filterTo(s, run);
  await s.press('r');
  await s.waitFor(`Run a container from ${IMPORTED}`);
  const name = `from-import-${run}`;
  await s.press(CTRL_U);
  await s.type(name);
  // enter moves to the next field (command, env, ports, network, labels, mode, restart); on the last it runs.
  for (let i = 0; i < 8; i++) await s.press('enter');
  await s.waitFor(new RegExp(`started ${name} \\(pid \\d+\\)`), 15_000);
  assert.match(ctr(NS, 'tasks', 'ls'), new RegExp(`${name}\\s+\\d+\\s+RUNNING`), 'ctr: the container from the imported image runs');

  await s.press('t');
  await s.waitFor(`Tag ${IMPORTED} with a new name`);
  await s.type('localhost/e2e/retag:1');
  await s.press('enter');
  await s.waitFor(`tagged ${IMPORTED} as localhost/e2e/retag:1`);
  assert.equal(ctrImages(NS).find((r) => r.REF === 'localhost/e2e/retag:1')?.DIGEST, row.DIGEST, 'ctr: the new name has the same target');

  await s.press('esc');
  await filterTo(s, 'retag');
  await s.press('x');
  await s.waitFor('Export localhost/e2e/retag:1 to an OCI tarball');
  const out = path.join(tmp, 'exported.tar');
  await s.press(CTRL_U);
  await s.type(out);
  await s.press('enter');
  await s.waitFor(/exported localhost\/e2e\/retag:1 to .*3 blobs/, 15_000);
  ctr(NS2, 'images', 'import', out);
  assert.equal(ctrImages(NS2).find((r) => r.REF === 'localhost/e2e/retag:1')?.DIGEST, row.DIGEST, 'ctr imported what undock exported');

  await s.press('esc');
  await s.press('U');
  const screen = await s.waitFor(`Prune 1 unused image(s) in ${NS}?`);
  const text = boxText(screen);
  assert.match(text, /remove localhost\/e2e\/retag:1/);
  assert.match(text, new RegExp(`keep ${escapeRe(IMPORTED)}: used by ${name}`));
  await s.press('y');
  await s.waitFor(`removed 1 unused image(s) from ${NS}`, 15_000);
  const after = ctrImages(NS).map((r) => r.REF);
  assert.ok(!after.includes('localhost/e2e/retag:1') && after.includes(IMPORTED), `ctr: only the unused name went: ${after}`);
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
});

test('u in k8s.io marks the CRI sandbox image protected; n keeps everything', {timeout: 60_000}, async () => {
  const archive = path.join(tmp, 'for-k8s.tar');
  writeDockerArchive(archive, `undock/e2e:${run}`, ['true']);
  ctr('k8s.io', 'images', 'import', archive);
  const before = ctrImages('k8s.io').map((r) => r.REF).sort();
  const s = startUndock(['-n', 'k8s.io']);
  await s.waitFor(/Images\(k8s\.io\)\[\d+\]/, 30_000);
  await s.waitFor(new RegExp(`undock/e2e\\s+${run}`));
  await s.press('U');
  const screen = await s.waitFor(/Prune \d+ unused image\(s\) in k8s\.io\?/);
  const text = boxText(screen);
  assert.match(text, new RegExp(`remove ${escapeRe(IMPORTED)}`));
  assert.match(text, /keep registry\.k8s\.io\/pause:3\.6: protected, the CRI sandbox \(pause\) image/);
  assert.doesNotMatch(text, /remove registry\.k8s\.io\/pause/);
  await s.press('n');
  await s.waitFor((t) => !t.includes('Prune '));
  assert.deepEqual(ctrImages('k8s.io').map((r) => r.REF).sort(), before, 'nothing was removed');
  // The image filesystem usage (crictl imagefsinfo) is in the title.
  // (waited for: a frame between the dialog and the view can be blank)
  await s.waitFor(/Images\(k8s\.io\).* image fs \d[\d.]* ?\w*B, \d+ inodes/);
  await s.press('q');
  await s.waitExit();
});

test('F on a pod forwards a local port: curl gets the page; :pf lists it, ctrl-d stops it; :stats and :runtime show', {timeout: 90_000}, async () => {
  const pod = await createTestPod(cri, {name: `e2epf-${run}`, container: 'web', script: 'mkdir -p /tmp/w && echo page-through-undock > /tmp/w/index.html && exec busybox httpd -f -p 8080 -h /tmp/w'});
  pods.push(pod);
  const free = await new Promise<number>((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(p));
    });
  });
  const s = startUndock(['--view', 'pods']);
  await s.waitFor(new RegExp(`e2epf-${run}\\s+undock-e2e\\s+Ready`), 20_000);
  await filterTo(s, `e2epf-${run}`);
  await s.press('F');
  await s.waitFor(`Port-forward to pod undock-e2e/e2epf-${run}`);
  await s.type('8080');
  await s.press('tab');
  await s.type(String(free));
  await s.press('enter');
  await s.waitFor(`forwarding 127.0.0.1:${free} to undock-e2e/e2epf-${run}:8080`, 15_000);
  let got = {ok: false, body: ''};
  for (let i = 0; i < 40 && !got.body.includes('page-through-undock'); i++) {
    got = await curl(`http://127.0.0.1:${free}/`);
    if (!got.body.includes('page-through-undock')) await new Promise((r) => setTimeout(r, 250));
  }
  assert.match(got.body, /page-through-undock/, 'curl through the forward gets the page served in the pod');

  await s.press(':');
  await s.type('pf');
  await s.press('enter');
  await s.waitFor(new RegExp(`undock-e2e/e2epf-${run}\\s+127\\.0\\.0\\.1:${free}\\s+8080`));
  await s.press('ctrl+d');
  await s.waitFor(`stopped forwarding 127.0.0.1:${free}`);
  assert.equal((await curl(`http://127.0.0.1:${free}/`)).ok, false, 'nothing listens after ctrl-d');

  await s.press(':');
  await s.type('stats');
  await s.press('enter');
  await s.waitFor(new RegExp(`web\\s+undock-e2e/e2epf-${run}\\s+\\S+\\s+\\d`), 15_000);
  await s.press(':');
  await s.type('runtime');
  await s.press('enter');
  await s.waitFor(/RuntimeReady\s+true/);
  assert.match(s.text(), /NetworkReady\s+true/);
  assert.match(s.text(), /CNI network \S+\s+\S+\s+bridge/);
  await s.press('q');
  await s.waitExit();
});
