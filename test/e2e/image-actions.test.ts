import assert from 'node:assert/strict';
import {randomBytes} from 'node:crypto';
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import {after, test} from 'node:test';
import type {PtySession} from '../helpers/pty.js';
import {escapeRe, filterTo, readDetail, showingWithout} from '../helpers/screen.js';
import {ctr, ctrImages} from '../helpers/ctr.js';
import {sandboxCri} from '../helpers/cri-pod.js';
import {pushImageWithRandomLayer, pushWithCtr, startRegistry, stopRegistry, type TestRegistry} from '../helpers/registry.js';
import {sandboxEnv} from '../helpers/sandbox-env.js';
import {startUndock, stopAll} from '../helpers/undock.js';

const env = sandboxEnv();
const cri = sandboxCri();
const run = randomBytes(3).toString('hex');
const BUSYBOX = 'docker.io/library/busybox:latest';
const PAUSE = 'registry.k8s.io/pause:3.6';
const CTRL_U = '\x15';

after(() => {
  stopAll();
  cri.conn.close();
});

/** Runs ctr for cleanup: a failure (already gone) is fine. */
function ctrQuiet(namespace: string, ...args: string[]): void {
  spawnSync('ctr', ['--address', env.address, '-n', namespace, ...args], {stdio: 'ignore'});
}

async function switchNamespace(s: PtySession, namespace: string): Promise<void> {
  await s.press(':');
  await s.type(`ns ${namespace}`);
  await s.press('enter');
  await s.waitFor(`Images(${namespace})`);
}

/** The text inside a dialog or form box, its wrapped lines joined with single spaces. */
function boxText(screen: string): string {
  return screen
    .split('\n')
    .filter((l) => l.startsWith('│'))
    .map((l) => l.replace(/^│|│$/g, '').trim())
    .join(' ')
    .replace(/\s+/g, ' ');
}

test('r runs a container from busybox with a command and env: started, :co shows it, ctr has it RUNNING, its log has the output', async () => {
  const name = `e2e-run-${run}`;
  const s = startUndock();
  await s.waitFor(/docker\.io\/library\/busybox\s+latest/);
  try {
    await filterTo(s, 'latest');
    await s.press('r');
    let screen = await s.waitFor(`Run a container from ${BUSYBOX}`);
    assert.match(boxText(screen), /namespace default, host network/);
    assert.doesNotMatch(screen, /kubelet/, 'no kubelet warning outside k8s.io');
    await s.press(CTRL_U);
    await s.type(name);
    await s.press('tab');
    await s.type("sh -c 'echo e2e-$((6*7)); sleep 300'");
    await s.press('tab');
    await s.type('A=1');
    screen = await s.waitFor(`env:     A=1`);
    assert.match(screen, new RegExp(`name:\\s+${name}`));
    assert.match(screen, /command:\s+sh -c 'echo e2e-\$\(\(6\*7\)\); sleep 300'/);
    // enter moves on through ports, network, labels, mode and restart (left as they are), and runs on the last.
    for (let i = 0; i < 6; i++) await s.press('enter');
    screen = await s.waitFor(new RegExp(`started ${name} \\(pid \\d+\\)`), 15_000);

    const task = ctr('default', 'tasks', 'ls').split('\n').find((l) => l.startsWith(`${name} `));
    assert.match(task ?? '', /\s\d+\s+RUNNING\s*$/, `ctr tasks ls: ${name} RUNNING`);
    const info = JSON.parse(ctr('default', 'containers', 'info', name)) as {
      Image: string;
      Labels: Record<string, string>;
      Spec: {process: {args: string[]; env: string[]}};
    };
    assert.equal(info.Image, BUSYBOX);
    assert.deepEqual(info.Spec.process.args, ['sh', '-c', 'echo e2e-$((6*7)); sleep 300']);
    assert.ok(info.Spec.process.env.includes('A=1'), 'env A=1 in the runtime spec');
    const logUri = info.Labels['undock/log-uri'];
    assert.match(logUri ?? '', /^file:\/\//);
    const logPath = logUri!.slice('file://'.length);
    assert.ok(screen.replace(/\s+/g, '').includes(logPath.replace(/\s+/g, '')), 'the status line names the log file');
    const deadline = Date.now() + 5_000;
    while (!(fs.existsSync(logPath) && fs.readFileSync(logPath, 'utf8').includes('e2e-42')) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.match(fs.readFileSync(logPath, 'utf8'), /^e2e-42$/m, 'the shell computed 6*7 and wrote it to the log');

    await s.press('esc');
    await s.press(':');
    await s.type('co');
    await s.press('enter');
    screen = await s.waitFor(new RegExp(`^ ${name}\\s+\\S+\\s+${escapeRe(BUSYBOX)}\\s+running\\s+\\d+`, 'm'));
    assert.match(screen, /Containers\(default\)/);
    await s.press('q');
    assert.equal(await s.waitExit(), 0);
  } finally {
    ctrQuiet('default', 'tasks', 'kill', '-s', 'SIGKILL', name);
    ctrQuiet('default', 'tasks', 'delete', '-f', name);
    ctrQuiet('default', 'containers', 'delete', name);
    fs.rmSync(`${env.sandbox}/logs/default/${name}.log`, {force: true});
  }
  assert.ok(!ctr('default', 'containers', 'ls', '-q').split('\n').includes(name), 'cleaned up');
});

test('ctrl-d removes an unused tag after y; for busybox:latest it names the containers using it and esc keeps it', async () => {
  const tag = `e2e-rm-${run}`;
  const ref = `docker.io/library/busybox:${tag}`;
  ctr('default', 'images', 'tag', BUSYBOX, ref);
  try {
    const s = startUndock();
    await s.waitFor(new RegExp(`busybox\\s+${tag}`));
    await filterTo(s, tag);
    await s.press('ctrl+d');
    let screen = await s.waitFor(`Remove image ${ref}?`);
    let text = boxText(screen);
    assert.match(text, new RegExp(`image ${escapeRe(ref)} in namespace default`));
    assert.match(text, /digest sha256:[0-9a-f]{64}/);
    assert.match(text, /no container uses it/);
    assert.match(text, /Cancel Remove/);
    await s.press('y');
    screen = await s.waitFor((t) => t.includes(`removed image ${ref}`) && !new RegExp(`busybox\\s+${tag}`).test(t), 10_000);
    assert.match(screen, /Images\(default\)\[0\/\d+\]/);
    assert.ok(!ctrImages('default').some((r) => r.REF === ref), 'ctr images ls no longer lists it');
    assert.ok(ctrImages('default').some((r) => r.REF === BUSYBOX), 'busybox:latest, same digest, is untouched');

    await s.press('esc');
    await s.waitFor(/Images\(default\)\[\d+\] /);
    await filterTo(s, 'latest');
    await s.press('ctrl+d');
    screen = await s.waitFor(`Remove image ${BUSYBOX}?`);
    text = boxText(screen);
    const users = ctr('default', 'containers', 'ls')
      .split('\n')
      .slice(1)
      .map((l) => l.trim().split(/\s+/))
      .filter((cols) => cols[1] === BUSYBOX)
      .map((cols) => cols[0]!);
    assert.ok(users.includes('web') && users.includes('worker'), `the seeded web and worker use busybox:latest: ${users}`);
    const named = new RegExp(`still used by (\\d+) container\\(s\\): ([^()]+) \\(they keep their snapshots\\)`).exec(text);
    assert.ok(named, `the dialog names the users: ${text}`);
    assert.equal(Number(named[1]), users.length);
    assert.deepEqual(named[2]!.split(',').map((n) => n.trim()).sort(), [...users].sort());
    await s.press('esc');
    screen = await s.waitFor((t) => !t.includes('Remove image') && t.includes('cancelled'));
    assert.match(screen, /docker\.io\/library\/busybox\s+latest/);
    assert.ok(ctrImages('default').some((r) => r.REF === BUSYBOX), 'busybox:latest is still in ctr images ls');
    await s.press('q');
    assert.equal(await s.waitExit(), 0);
  } finally {
    ctrQuiet('default', 'images', 'rm', ref);
  }
});

test('ctrl-d on the CRI sandbox image in k8s.io asks twice and esc at the second keeps it; r there warns about the kubelet', async () => {
  const s = startUndock();
  await s.waitFor('docker.io/library/busybox');
  await switchNamespace(s, 'k8s.io');
  await s.waitFor(/registry\.k8s\.io\/pause\s+3\.6/);
  await filterTo(s, 'pause');
  await s.press('ctrl+d');
  let screen = await s.waitFor(`Remove image ${PAUSE}? It is the CRI sandbox (pause) image`);
  let text = boxText(screen);
  assert.match(text, /image registry\.k8s\.io\/pause:3\.6 in namespace k8s\.io/);
  assert.match(text, /CRI starts every pod from this image: no new pod can start until it is back\./);
  assert.match(text, /Cancel Continue/);
  await s.press('y');
  screen = await s.waitFor(`Really remove the CRI sandbox image ${PAUSE}?`);
  text = boxText(screen);
  assert.match(text, /This is the second confirmation\./);
  assert.match(text, /Cancel Remove sandbox image/);
  await s.press('esc');
  screen = await s.waitFor((t) => !t.includes('Really remove') && t.includes('cancelled'));
  assert.match(screen, /registry\.k8s\.io\/pause\s+3\.6/);
  assert.ok(ctrImages('k8s.io').some((r) => r.REF === PAUSE), 'the pause image is still in ctr -n k8s.io images ls');
  assert.ok((await cri.imageStatus(PAUSE)).image, 'and CRI still has it');

  // Running from an image in k8s.io warns that the kubelet owns that namespace; esc runs nothing.
  const containersBefore = ctr('k8s.io', 'containers', 'ls', '-q');
  await s.press('r');
  screen = await s.waitFor(`Run a container from ${PAUSE}`);
  assert.match(boxText(screen), /Warning: namespace k8s\.io belongs to the kubelet, which removes containers it did not create\./);
  await s.press('esc');
  await s.waitFor((t) => showingWithout(/Images\(k8s\.io\)\[1\/\d+\] <\/pause>/, 'Run a container')(t) && t.includes('cancelled'));
  assert.equal(ctr('k8s.io', 'containers', 'ls', '-q'), containersBefore);
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
});

test('p pulls from a local registry through CRI: the status line reports it and k8s.io shows the image', async () => {
  let registry: TestRegistry | undefined;
  let ref = '';
  try {
    registry = startRegistry(`registry-e2e-${run}`);
    pushWithCtr(registry, 'undock/e2e-pull:base');
    // A fresh layer, so the pull has something to fetch.
    const pushed = await pushImageWithRandomLayer(registry, 'undock/e2e-pull', 'base', `t-${run}`, 256 * 1024);
    ref = pushed.ref;
    const s = startUndock();
    await s.waitFor('docker.io/library/busybox');
    await s.press('p');
    await s.waitFor('Pull an image through CRI (into namespace k8s.io)');
    await s.type(ref);
    await s.press('enter');
    let screen = await s.waitFor(new RegExp(`pulled ${escapeRe(ref)} into k8s\\.io in \\d+\\.\\d s`), 30_000);
    assert.ok(s.output().includes(`pulling ${ref}`), 'the status line showed the pull while it ran');

    const row = ctrImages('k8s.io').find((r) => r.REF === ref);
    assert.ok(row, 'ctr -n k8s.io images ls lists the pulled image');
    assert.equal(row.DIGEST, pushed.manifestDigest);
    assert.ok((await cri.imageStatus(ref)).image?.repoTags.includes(ref), 'CRI ImageStatus has it');

    await switchNamespace(s, 'k8s.io');
    screen = await filterTo(s, `t-${run}`);
    assert.match(screen, new RegExp(`${escapeRe(`${registry.address}/undock/e2e-pull`)}\\s+t-${run}\\s+${pushed.manifestDigest.slice(7, 19)}\\s`));
    await s.press('q');
    assert.equal(await s.waitExit(), 0);
  } finally {
    if (ref) await cri.removeImage(ref).catch(() => undefined);
    if (registry) stopRegistry(registry);
  }
  assert.ok(!ctrImages('k8s.io').some((r) => r.REF === ref), 'cleaned up');
});

test('d on busybox:latest shows its manifest layers and config; y switches to JSON', async () => {
  const target = ctrImages('default').find((r) => r.REF === BUSYBOX)!.DIGEST!;
  const manifest = JSON.parse(ctr('default', 'content', 'get', target)) as {config: {digest: string}; layers: Array<{digest: string; size: number}>};
  const config = JSON.parse(ctr('default', 'content', 'get', manifest.config.digest)) as {config: {Cmd?: string[]; Entrypoint?: string[]}};
  const s = startUndock();
  await s.waitFor(/docker\.io\/library\/busybox\s+latest/);
  await filterTo(s, 'latest');
  await s.press('d');
  await s.waitFor(`image ${BUSYBOX} [yaml]`);
  assert.match(s.text(), /<images>\s+<describe>/);
  const yaml = await readDetail(s);
  assert.match(yaml, new RegExp(`^ {2}name: ${escapeRe(BUSYBOX)}$`, 'm'));
  assert.match(yaml, new RegExp(`^ {4}digest: ${target}$`, 'm'), 'the image target');
  assert.match(yaml, /^manifest:$/m);
  assert.match(yaml, /^ {2}layers:$/m);
  for (const layer of manifest.layers) {
    assert.match(yaml, new RegExp(`digest: ${layer.digest}\\n\\s+size: ${layer.size}$`, 'm'), `layer ${layer.digest}`);
  }
  assert.match(yaml, new RegExp(`digest: ${manifest.config.digest}$`, 'm'), 'the config descriptor');
  assert.match(yaml, /^config:$/m);
  assert.deepEqual(config.config.Cmd, ['sh']);
  assert.match(yaml, /^ {4}Cmd:\n {4}- sh$/m, 'the image config: Cmd sh');

  await s.press('y');
  await s.waitFor(`image ${BUSYBOX} [json]`);
  const json = await readDetail(s);
  assert.match(json, /^\{$/m);
  assert.match(json, /"layers": \[/);
  assert.match(json, new RegExp(`"digest": "${manifest.layers[0]!.digest}"`));
  assert.match(json, /"Cmd": \[\n\s+"sh"\n\s+\]/);
  await s.press('esc');
  await s.waitFor(/Images\(default\)\[1\/\d+\] <\/latest>/);
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
});
