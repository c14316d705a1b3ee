import assert from 'node:assert/strict';
import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {after, test} from 'node:test';
import {escapeRe, filterTo, readDetail} from '../helpers/screen.js';
import {ctr} from '../helpers/ctr.js';
import {createTestPod, removeTestPod, sandboxCri, stopTestPod, type TestPod} from '../helpers/cri-pod.js';
import {sandboxEnv} from '../helpers/sandbox-env.js';
import {startUndock, stopAll} from '../helpers/undock.js';

const env = sandboxEnv();
const cri = sandboxCri();
const run = randomBytes(3).toString('hex');
const pods: TestPod[] = [];

after(async () => {
  stopAll();
  for (const pod of pods) await removeTestPod(cri, pod).catch(() => undefined);
  cri.conn.close();
});

async function newPod(label: string): Promise<TestPod> {
  const pod = await createTestPod(cri, {name: `e2e-${label}-${run}`, namespace: 'undock-e2e'});
  pods.push(pod);
  return pod;
}


/**
 * A pod row as the table draws it: NAME NAMESPACE STATE IP READY RESTARTS POD ID AGE. A stopped
 * pod shows no IP.
 */
function podRow(name: string, namespace: string, state: 'Ready' | 'NotReady', ready = '\\d+/\\d+'): RegExp {
  return new RegExp(
    `^ ${escapeRe(name)}\\s+${escapeRe(namespace)}\\s+${state}\\s+(\\d+\\.\\d+\\.\\d+\\.\\d+)?\\s*(${ready})\\s+\\d+\\s+([0-9a-f]{12})\\s+\\S+\\s*$`,
    'm',
  );
}

function subnetPrefix(): string {
  const net = fs.readFileSync(path.join(env.sandbox, 'net.env'), 'utf8');
  const prefix = /SUBNET=(\d+\.\d+\.\d+)\.0\/24/.exec(net)?.[1];
  assert.ok(prefix, `a /24 SUBNET in ${env.sandbox}/net.env`);
  return `${prefix}.`;
}

test(':po lists the seeded pods Ready, with their sandbox IP, READY 1/1 and their pod ids', async () => {
  const s = startUndock();
  await s.waitFor('docker.io/library/busybox');
  await s.press(':');
  await s.type('po');
  await s.press('enter');
  const screen = await s.waitFor((t) => podRow('nginx-7d9f', 'default', 'Ready', '1/1').test(t) && podRow('coredns-5d78', 'kube-system', 'Ready', '1/1').test(t));
  assert.match(screen, /Pods\[\d+\]/);
  assert.match(screen, /NAME↑\s+NAMESPACE\s+STATE\s+IP\s+READY\s+RESTARTS\s+POD ID\s+AGE/);
  assert.match(screen, /<pods>/);
  const prefix = subnetPrefix();
  const inCri = await cri.listPodSandboxes();
  for (const [name, namespace] of [['nginx-7d9f', 'default'], ['coredns-5d78', 'kube-system']] as const) {
    const [, ip, ready, shortId] = podRow(name, namespace, 'Ready').exec(screen)!;
    assert.ok(ip?.startsWith(prefix), `${name}: IP ${ip} is in the sandbox subnet ${prefix}0/24`);
    assert.equal(ready, '1/1');
    const pod = inCri.find((p) => p.name === name && p.namespace === namespace && p.state === 'ready');
    assert.ok(pod, `CRI has ${namespace}/${name} ready`);
    assert.equal(shortId, pod.id.slice(0, 12), 'POD ID is the CRI sandbox id');
    assert.equal((await cri.podSandboxStatus(pod.id, false)).pod.ip, ip, 'the IP is the one CRI reports');
  }
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
});

test('filter, drill into a pod, describe its container, and esc back out step by step', async () => {
  const s = startUndock(['--view', 'pods']);
  await s.waitFor('nginx-7d9f');
  let screen = await filterTo(s, 'nginx');
  assert.match(screen, podRow('nginx-7d9f', 'default', 'Ready'));
  assert.doesNotMatch(screen, /coredns-5d78/);

  await s.press('enter');
  screen = await s.waitFor(/Containers\(pod default\/nginx-7d9f\)\[1\]/);
  assert.match(screen, /NAME↑\s+STATE\s+ATTEMPT\s+RESTARTS\s+IMAGE\s+ID\s+AGE/);
  assert.match(screen, /^ nginx\s+running\s+0\s+0\s+docker\.io\/library\/busybox:latest\s+[0-9a-f]{12}\s+\S+\s*$/m);
  assert.match(screen, /<pods>\s+<nginx-7d9f>/);

  const [pod] = (await cri.listPodSandboxes()).filter((p) => p.name === 'nginx-7d9f' && p.namespace === 'default');
  const [container] = await cri.listContainers({podSandboxId: pod!.id});
  const {status} = await cri.containerStatus(container!.id);
  await s.press('d');
  await s.waitFor(/container nginx \[yaml\]/);
  assert.match(s.text(), /<pods>\s+<nginx-7d9f>\s+<describe>/);
  const yaml = await readDetail(s);
  assert.match(yaml, /^(\s*)metadata:\n\1 {2}name: nginx$/m, 'name: nginx under metadata (the container config)');
  assert.match(yaml, new RegExp(`^\\s+logPath: ${escapeRe(status.logPath)}$`, 'm'), 'the CRI log path');
  assert.ok(status.logPath.startsWith(path.join(env.sandbox, 'pods', pod!.uid)), 'the log lives in the pod log folder');

  await s.press('esc');
  screen = await s.waitFor(/Containers\(pod default\/nginx-7d9f\)\[1\]/);
  await s.press('esc');
  screen = await s.waitFor(/Pods\[1\/\d+\] <\/nginx>/);
  assert.match(screen, podRow('nginx-7d9f', 'default', 'Ready'));
  assert.doesNotMatch(screen, /coredns-5d78/);
  await s.press('esc');
  screen = await s.waitFor(/Pods\[\d+\] /);
  assert.match(screen, /coredns-5d78/);
  assert.match(screen, /nginx-7d9f/);
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
});

test('a pod created and removed outside undock shows up and goes within 1 s (relist every 30 s)', async () => {
  const s = startUndock(['--view', 'pods', '--refresh', '30']);
  await s.waitFor(podRow('nginx-7d9f', 'default', 'Ready'));
  const pod = await newPod('live');

  let t0 = Date.now();
  const screen = await s.waitFor(podRow(pod.name, 'undock-e2e', 'Ready', '1/1'), 1_000);
  const [, ip] = podRow(pod.name, 'undock-e2e', 'Ready').exec(screen)!;
  assert.ok(ip?.startsWith(subnetPrefix()), `IP ${ip} in the sandbox subnet`);
  assert.ok(Date.now() - t0 < 1_000);

  await stopTestPod(cri, pod);
  await cri.removePodSandbox(pod.id);
  t0 = Date.now();
  // Gone from a pods table that still lists the seeded nginx pod.
  await s.waitFor((t) => podRow('nginx-7d9f', 'default', 'Ready').test(t) && !t.includes(pod.name), 1_000);
  assert.ok(Date.now() - t0 < 1_000);
  assert.deepEqual(await cri.listPodSandboxes({id: pod.id}), []);
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
});

test(
  'a pod stopped outside undock shows NotReady within 1 s (relist every 30 s)',
  // containerd 1.6's CRI marks the sandbox NotReady only after the last containerd event of a stop,
  // so this passes only because undock relists once more after a burst of events has settled.
  async () => {
    const pod = await newPod('stopped');
    const s = startUndock(['--view', 'pods', '--refresh', '30']);
    await s.waitFor(podRow(pod.name, 'undock-e2e', 'Ready'));
    await stopTestPod(cri, pod);
    const t0 = Date.now();
    await s.waitFor(podRow(pod.name, 'undock-e2e', 'NotReady'), 1_000);
    assert.ok(Date.now() - t0 < 1_000);
    assert.equal((await cri.podSandboxStatus(pod.id, false)).pod.state, 'notready');
    await s.press('q');
    assert.equal(await s.waitExit(), 0);
  },
);

test('ctrl-d on a pod names it and its container; esc keeps it, y removes it from the screen and from CRI', async () => {
  const pod = await newPod('rm');
  // A relist only every 30 s: what the screen shows after y comes from undock's own refresh.
  const s = startUndock(['--view', 'pods', '--refresh', '30']);
  await s.waitFor(podRow(pod.name, 'undock-e2e', 'Ready'));
  await filterTo(s, pod.name);

  await s.press('ctrl+d');
  let screen = await s.waitFor(`Remove pod undock-e2e/${pod.name}?`);
  assert.match(screen, new RegExp(`pod ${pod.id}`));
  assert.match(screen, /its 1 container\(s\) are removed: app/);
  assert.match(screen, /Cancel\s+Remove/);
  await s.press('esc');
  screen = await s.waitFor((t) => !t.includes('Remove pod') && t.includes('cancelled'));
  assert.match(screen, podRow(pod.name, 'undock-e2e', 'Ready'));
  assert.equal((await cri.listPodSandboxes({id: pod.id}))[0]?.state, 'ready', 'CRI still has the pod, ready');

  await s.press('ctrl+d');
  await s.waitFor(`Remove pod undock-e2e/${pod.name}?`);
  await s.press('y');
  screen = await s.waitFor((t) => t.includes(`removed pod undock-e2e/${pod.name}`) && !t.includes(` ${pod.name} `), 30_000);
  assert.match(screen, /Pods\[0\/\d+\]/);
  assert.deepEqual(await cri.listPodSandboxes({id: pod.id}), [], 'CRI ListPodSandbox no longer has it');
  assert.deepEqual(await cri.listContainers({podSandboxId: pod.id}), [], 'nor its container');
  assert.doesNotMatch(ctr('k8s.io', 'containers', 'ls', '-q'), new RegExp(pod.id), 'ctr no longer has the pause container');
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
});

test('--readonly refuses ctrl-d on a pod with a status line message; the pod stays in CRI', async () => {
  const pod = await newPod('ro');
  const s = startUndock(['--view', 'pods', '--readonly']);
  await s.waitFor(podRow(pod.name, 'undock-e2e', 'Ready'));
  await filterTo(s, pod.name);
  await s.press('ctrl+d');
  const screen = await s.waitFor('remove pod refused: undock runs with --readonly');
  assert.doesNotMatch(screen, /Remove pod/, 'no dialog opens');
  assert.match(screen, podRow(pod.name, 'undock-e2e', 'Ready'));
  assert.equal((await cri.listPodSandboxes({id: pod.id}))[0]?.state, 'ready');
  assert.equal((await cri.listContainers({podSandboxId: pod.id}))[0]?.state, 'running');
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
});

test('x + y in a pod stops its container: exited on screen and in CRI ContainerStatus', async () => {
  const pod = await newPod('stop');
  const s = startUndock(['--view', 'pods']);
  await s.waitFor(podRow(pod.name, 'undock-e2e', 'Ready'));
  await filterTo(s, pod.name);
  await s.press('enter');
  await s.waitFor(new RegExp(`Containers\\(pod undock-e2e/${escapeRe(pod.name)}\\)\\[1\\]`));
  await s.waitFor(/^ app\s+running\s/m);
  await s.press('x');
  const dialog = await s.waitFor(`Stop container app of pod undock-e2e/${pod.name}?`);
  assert.match(dialog, new RegExp(`container ${pod.containerId}`));
  assert.match(dialog, /Cancel\s+Stop/);
  await s.press('y');
  const screen = await s.waitFor((t) => /^ app\s+Exited \(0\) Completed \d+s ago\s/m.test(t) && t.includes('stopped container app'), 15_000);
  assert.match(screen, new RegExp(`<pods>\\s+<${escapeRe(pod.name)}>`));
  const {status} = await cri.containerStatus(pod.containerId);
  assert.equal(status.state, 'exited');
  assert.equal(status.exitCode, 0, 'the TERM trap exited 0');
  assert.ok(status.finishedAt, 'CRI has a finish time');
  await s.press('esc');
  await s.waitFor(podRow(pod.name, 'undock-e2e', 'Ready', '0/1'));
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
});
