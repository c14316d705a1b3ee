import assert from 'node:assert/strict';
import {randomBytes, randomUUID} from 'node:crypto';
import {after, test} from 'node:test';
import {encodeK8sObject} from '../../source/data/k8s/object.js';
import {ctr} from '../helpers/ctr.js';
import {createTestPod, removeTestPod, sandboxCri, type TestPod} from '../helpers/cri-pod.js';
import {closeEtcdClient, etcdctl, putKeys} from '../helpers/etcd.js';
import {escapeRe, filterTo} from '../helpers/screen.js';
import {startUndock, stopAll} from '../helpers/undock.js';

// Cross-links between the runtime and the API objects, on the seeded node worker-1.
const cri = sandboxCri();
const run = randomBytes(3).toString('hex');
const pods: TestPod[] = [];
const keys: string[] = [];
const SIZE = {cols: 200, rows: 40};
/** Tall enough for the preview to show a Pod down to spec.nodeName. */
const TALL = {cols: 200, rows: 64};
/** Waits after a key press: the machine the suite runs on can be slow. */
const STEP = 20_000;

after(async () => {
  stopAll();
  for (const pod of pods) await removeTestPod(cri, pod).catch(() => undefined);
  for (const key of keys) etcdctl('del', key);
  closeEtcdClient();
  cri.conn.close();
});

/** The key tree opened at `key` by a link: its note, the key in the preview's title. */
async function atKey(s: ReturnType<typeof startUndock>, key: string, note: RegExp): Promise<string> {
  return s.waitFor((t) => note.test(t) && new RegExp(`${escapeRe(key)}\\s*$`, 'm').test(t) && !t.includes('loading…'), STEP);
}

test('K on the seeded CRI pod opens its API object decoded: name, namespace, node and image, the uids agreeing', async () => {
  const [sandbox] = (await cri.listPodSandboxes()).filter((p) => p.name === 'nginx-7d9f' && p.namespace === 'default');
  assert.ok(sandbox, 'the seeded pod runs');
  const s = startUndock(['--view', 'pods'], TALL);
  await s.waitFor('nginx-7d9f', 30_000);
  await filterTo(s, 'nginx-7d9f');
  await s.press('K');
  const screen = await atKey(s, '/registry/pods/default/nginx-7d9f', /the API object of sandbox default\/nginx-7d9f/);
  assert.match(screen, new RegExp(`uid ${sandbox.uid} on both sides, bound to worker-1`));
  await s.waitFor(/\bimage: docker\.io\/library\/busybox:latest\b/, STEP);
  const yaml = s.text();
  for (const field of [/\bkind: Pod\b/, /\bname: nginx-7d9f$/m, /\bnamespace: default$/m, /\bnodeName: worker-1$/m, new RegExp(`\\buid: ${sandbox.uid}$`, 'm')]) {
    assert.match(yaml, field);
  }
  // Back where the link started.
  await s.press('esc');
  await s.waitFor(/Pods\[1\/\d+\] <\/nginx-7d9f>/, STEP);
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
});

test('K flags a uid mismatch: the API object under the sandbox\'s name was recreated', async () => {
  const pod = await createTestPod(cri, {name: `links-${run}`, namespace: 'undock-e2e'});
  pods.push(pod);
  const key = `/registry/pods/undock-e2e/${pod.name}`;
  const apiUid = randomUUID();
  keys.push(key);
  await putKeys([[key, encodeK8sObject({apiVersion: 'v1', kind: 'Pod', metadata: {name: pod.name, namespace: 'undock-e2e', uid: apiUid}, spec: {nodeName: 'worker-1', containers: [{name: 'c', image: 'busybox'}]}, status: {phase: 'Pending'}})]]);
  const s = startUndock(['--view', 'pods'], SIZE);
  await s.waitFor(pod.name, 30_000);
  await filterTo(s, pod.name);
  await s.press('K');
  await atKey(s, key, new RegExp(`uid mismatch: the sandbox is pod uid ${pod.uid}, the API object is ${apiUid}: the API object was recreated`));
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
});

test('from a pod\'s key: p its sandbox, c its containers; o walks Pod -> ReplicaSet -> Deployment', async () => {
  const [sandbox] = (await cri.listPodSandboxes()).filter((p) => p.name === 'nginx-7d9f' && p.namespace === 'default');
  const s = startUndock(['--view', 'pods'], SIZE);
  await s.waitFor('nginx-7d9f', 30_000);
  await filterTo(s, 'nginx-7d9f');
  await s.press('K');
  await atKey(s, '/registry/pods/default/nginx-7d9f', /the API object of sandbox/);

  await s.press('p');
  let screen = await s.waitFor(new RegExp(`Pods\\[1/\\d+\\] </${sandbox!.id.slice(0, 12)}>`), STEP);
  assert.match(screen, new RegExp(`^ nginx-7d9f\\s+default\\s+Ready\\s.*${sandbox!.id.slice(0, 12)}`, 'm'));
  // esc clears the link's filter first, as any filter, then goes back.
  await s.press('esc');
  await s.waitFor(/Pods\[\d+\] /, STEP);
  await s.press('esc');
  await atKey(s, '/registry/pods/default/nginx-7d9f', /the API object of sandbox/);
  await s.press('c');
  screen = await s.waitFor(/Containers\(pod default\/nginx-7d9f\)\[1\]/, STEP);
  assert.match(screen, /^ nginx\s+running\s/m);
  await s.press('esc');
  await atKey(s, '/registry/pods/default/nginx-7d9f', /the API object of sandbox/);

  await s.press('o');
  await atKey(s, '/registry/replicasets/default/nginx-7d9f', /owner of \/registry\/pods\/default\/nginx-7d9f: ReplicaSet nginx-7d9f/);
  await s.waitFor(/\bkind: ReplicaSet\b/, STEP);
  await s.press('o');
  await atKey(s, '/registry/deployments/default/nginx', /owner of \/registry\/replicasets\/default\/nginx-7d9f: Deployment nginx/);
  await s.waitFor(/\bkind: Deployment\b/, STEP);
  await s.press('o');
  await s.waitFor(/has no ownerReferences:\s+nothing owns it/, STEP);
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
});

test('o from a Job\'s pod opens the Job', async () => {
  const s = startUndock(['--view', 'keys'], SIZE);
  await s.waitFor(/etcd keys[^\n]*\[\d+\]/, 30_000);
  await s.press('/');
  await s.type('pods/default/backup');
  await s.press('enter');
  await s.waitFor(/\/registry\/pods\/default\/backup-28391-w7k2p\s*$/m, STEP);
  await s.press('o');
  await atKey(s, '/registry/jobs/default/backup-28391', /owner of \/registry\/pods\/default\/backup-28391-w7k2p: Job backup-28391/);
  await s.waitFor(/\bkind: Job\b/, STEP);
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
});

test('u on an image lists the containers that use it, as ctr has them; i on a container goes back to its image', async () => {
  const image = 'docker.io/library/busybox:latest';
  const users = ctr('default', 'containers', 'ls').trim().split('\n').slice(1).map((l) => l.trim().split(/\s+/)).filter(([, img]) => img === image).map(([id]) => id!);
  assert.ok(users.length >= 2, `ctr lists containers of ${image}`);
  const s = startUndock(['--view', 'images'], SIZE);
  await s.waitFor('docker.io/library/busybox', 30_000);
  await s.press('/');
  await s.type('docker.io/library/busybox');
  await s.press('enter');
  const images = await s.waitFor(/Images\(default\)\[\d+\/\d+\] <\/docker\.io\/library\/busybox>/, STEP);
  // The rows are busybox's tags: the selection onto `latest`.
  const rows = images.split('\n').filter((l) => l.startsWith(' docker.io/library/busybox '));
  for (let i = 0; i < rows.findIndex((l) => /\slatest\s/.test(l)); i++) await s.press('j');
  await s.press('u');
  const screen = await s.waitFor(new RegExp(`Used by\\(${escapeRe(image)}\\)\\(default\\)\\[${users.length}\\]`), STEP);
  for (const id of users) assert.match(screen, new RegExp(`^ container\\s+${escapeRe(id)}\\s`, 'm'), `${id} uses it`);
  await s.press('enter');
  await s.waitFor(/Containers\(default\)\[1\/\d+\]/, STEP);
  await s.press('i');
  await s.waitFor(/Images\(default\)\[\d+\/\d+\] <\/docker\.io\/library\/busybox>/, STEP);
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
});
