import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {after, test} from 'node:test';
import {encodeK8sObject} from '../../source/data/k8s/object.js';
import {closeEtcdClient, etcdctl, etcdGet, putKeys} from '../helpers/etcd.js';
import {sandboxCri} from '../helpers/cri-pod.js';
import {escapeRe} from '../helpers/screen.js';
import {startUndock, stopAll} from '../helpers/undock.js';

// :drift against the seeded node worker-1 (scripts/sandbox/seed-cluster.ts): the CRI seed starts
// nginx-7d9f, coredns-5d78 and the orphan stale-5c8d; etcd holds nginx-7d9f, coredns-5d78, the
// missing replica nginx-7d9f-q4m2x and a Succeeded Job pod, all bound to worker-1.
const cri = sandboxCri();
const DELETED = '/registry/pods/default/nginx-7d9f';
let restore: Buffer | undefined;

after(async () => {
  stopAll();
  if (restore) await putKeys([[DELETED, restore]]).catch(() => undefined);
  closeEtcdClient();
  cri.conn.close();
});

const SIZE = {cols: 200, rows: 24};
/** Tall enough for the key preview to show a Pod down to spec.nodeName. */
const TALL = {cols: 200, rows: 64};
/** Waits after a key press: the machine the suite runs on can be slow. */
const STEP = 20_000;
const TITLE = /Drift\[(\d+)\] node worker-1 \(the node etcd binds this runtime's pods to/;

/** A finding's row: FINDING POD SANDBOX API DETAIL MEANING. */
function row(finding: string, pod: string): RegExp {
  return new RegExp(`^ ${escapeRe(finding)}\\s+${escapeRe(pod)}\\s`, 'm');
}

function rowCount(screen: string): number {
  return Number(TITLE.exec(screen)?.[1] ?? -1);
}

test(':drift shows exactly the seeded orphan and the seeded missing pod, for the node it found from the CRI pods', async () => {
  const [orphan] = (await cri.listPodSandboxes()).filter((p) => p.name === 'stale-5c8d' && p.namespace === 'default');
  assert.ok(orphan, 'the seed started the orphan sandbox');
  assert.equal(etcdGet('/registry/pods/default/stale-5c8d'), undefined, 'and etcd has no API object for it');
  assert.ok(etcdGet('/registry/pods/default/nginx-7d9f-q4m2x'), 'etcd has the missing pod');

  const s = startUndock(['--view', 'drift'], TALL);
  const screen = await s.waitFor((t) => rowCount(t) === 2 && row('orphan', 'default/stale-5c8d').test(t) && row('missing here', 'default/nginx-7d9f-q4m2x').test(t), 30_000);
  assert.match(screen, new RegExp(`^ orphan\\s+default/stale-5c8d\\s+${orphan.id.slice(0, 12)}\\s+-\\s+no /registry/pods/default/stale-5c8d`, 'm'), 'the orphan names its sandbox and no API object');
  assert.match(screen, /^ missing here\s+default\/nginx-7d9f-q4m2x\s+-\s+yes\s+bound to worker-1, phase Running, no sandbox/m);
  // Nothing else: the pods that agree (nginx-7d9f, coredns-5d78) and the Succeeded Job pod are not findings.
  assert.doesNotMatch(screen, /coredns-5d78|backup-28391|default\/nginx-7d9f\s/);

  // Both sides from a row: the orphan's sandbox (the only side it has), the missing pod's API object.
  await s.press('enter');
  await s.waitFor(/Pods\[1\/\d+\]/, STEP);
  assert.match(s.text(), /^ stale-5c8d\s+default\s+Ready\s/m);
  // esc clears the link's filter, then goes back.
  await s.press('esc');
  await s.waitFor(/Pods\[\d+\] /, STEP);
  await s.press('esc');
  await s.waitFor(TITLE, STEP);
  await s.press('j');
  await s.press('K');
  await s.waitFor(/missing here: the API expects it to run here/, STEP);
  const api = await s.waitFor(/\bnodeName: worker-1\b/, STEP);
  assert.match(api, /\/registry\/pods\/default\/nginx-7d9f-q4m2x/);
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
});

test('a pod deleted with etcdctl shows as an orphan within 1 s, and goes when it is back', async () => {
  const s = startUndock(['--view', 'drift', '--refresh', '30'], SIZE);
  await s.waitFor((t) => rowCount(t) === 2, 30_000);
  // The watch is live once a write shows (a pod bound here with no sandbox): only then is the clock fair.
  const probe = `/registry/pods/undock-e2e/drift-probe-${process.pid}`;
  await putKeys([[probe, encodeK8sObject({apiVersion: 'v1', kind: 'Pod', metadata: {name: `drift-probe-${process.pid}`, namespace: 'undock-e2e', uid: randomUUID()}, spec: {nodeName: 'worker-1', containers: [{name: 'c', image: 'busybox'}]}, status: {phase: 'Pending'}})]]);
  await s.waitFor((t) => row('missing here', `undock-e2e/drift-probe-${process.pid}`).test(t), STEP);
  etcdctl('del', probe);
  await s.waitFor((t) => rowCount(t) === 2, STEP);

  restore = etcdGet(DELETED)!.value;
  const t0 = Date.now();
  etcdctl('del', DELETED);
  const screen = await s.waitFor((t) => row('orphan', 'default/nginx-7d9f').test(t), 1_000);
  const ms = Date.now() - t0;
  assert.ok(ms < 1_000, `on screen ${ms} ms after the delete`);
  assert.equal(rowCount(screen), 3);
  assert.match(screen, row('orphan', 'default/stale-5c8d'));
  assert.equal(etcdGet(DELETED), undefined, 'etcd no longer has it');

  await putKeys([[DELETED, restore]]);
  restore = undefined;
  await s.waitFor((t) => rowCount(t) === 2 && !row('orphan', 'default/nginx-7d9f').test(t), STEP);
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
});

test('--node names the node: against another one, its pods are not missing and ours are bound elsewhere', async () => {
  const s = startUndock(['--view', 'drift', '--node', 'node-1'], SIZE);
  const screen = await s.waitFor((t) => /Drift\[\d+\] node node-1 \(--node\)/.test(t) && row('bound elsewhere', 'default/nginx-7d9f').test(t), 30_000);
  assert.match(screen, row('bound elsewhere', 'kube-system/coredns-5d78'));
  assert.match(screen, row('missing here', 'kube-system/etcd-node-1'), 'node-1\'s pods have no sandbox here');
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
});
