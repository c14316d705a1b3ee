import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import {encodeK8sObject} from '../../../../source/data/k8s/object.js';
import {fakeContext, renderApp} from '../../../helpers/render-app.js';
import {needsShared, sharedFile} from '../../../helpers/shared-testdata.js';
import {FIXTURES} from '../../data/k8s/fixtures.js';

const skipPod = needsShared('k8s/pod.storage.bin');
const secret = FIXTURES.find((o) => o.kind === 'Secret')!;
const TOKEN = 's3cr3t-t0ken';

/** An etcd holding these keys: ranges answer from memory, the watch never connects. */
function etcdOf(entries: Array<[string, Buffer]>) {
  const kvs = entries.map(([k, value]) => ({key: Buffer.from(k), value, version: '1', create_revision: '2', mod_revision: '3', lease: '0'})).sort((a, b) => Buffer.compare(a.key, b.key));
  const range = async (req: {key: Buffer; range_end?: Buffer; keys_only?: boolean}) => {
    const hits = req.range_end ? kvs.filter((kv) => Buffer.compare(kv.key, req.key) >= 0 && (req.range_end!.length === 1 && req.range_end![0] === 0 ? true : Buffer.compare(kv.key, req.range_end!) < 0)) : kvs.filter((kv) => kv.key.equals(req.key));
    return {header: {revision: '3'}, count: String(hits.length), more: false, kvs: hits.map((kv) => (req.keys_only ? {...kv, value: Buffer.alloc(0)} : kv))};
  };
  const rangeTxn = async (req: {success: Array<{request_range: {key: Buffer}}>}) => ({
    responses: req.success.map((op) => ({response_range: {kvs: kvs.filter((kv) => kv.key.equals(op.request_range.key))}})),
  });
  return {reads: {range, rangeTxn, watchStream: () => new Promise(() => {})}};
}

test('the keys view previews a stored Pod with field names, as kubectl get -o yaml', {skip: skipPod}, async () => {
  const pod = fs.readFileSync(sharedFile('k8s/pod.storage.bin'));
  const t = renderApp(fakeContext({view: 'keys'}, {etcd: etcdOf([['/registry/pods/default/pi-dqtsw', pod]])}));
  try {
    await t.until((s) => s.includes('etcd keys'));
    t.press('/pi-dqtsw\r');
    const frame = await t.until((s) => s.includes('name: pi-dqtsw'));
    assert.match(frame, /# v1 Pod, Kubernetes protobuf \(k8s\\0\), deco/);
    for (const line of ['apiVersion: v1', 'kind: Pod', '  namespace: default', 'creationTimestamp: "2017-06-27T16:35:34Z"', 'controller: true', 'job-name: pi']) {
      assert.ok(frame.includes(line), `the preview shows ${line}\n${frame}`);
    }
    assert.doesNotMatch(frame, /^\s*1 \{/m, 'no schema-less field numbers');
    // enter: the whole object, with its spec and status, in the describe view
    t.press('\r');
    const all = await t.until((s) => s.includes('key /registry/pods/default/pi-dqtsw'));
    assert.match(all, /kind: k8s/);
    t.press('G');
    const end = await t.until((s) => s.includes('startTime: "2017-06-27T16:35:34Z"'));
    assert.match(end, /qosClass: Burstable/);
  } finally {
    t.done();
  }
});

test('a Secret is masked in the preview until x reveals it; x again masks it; nothing of it reaches :messages or the crash log', async () => {
  const state = fs.mkdtempSync(path.join(os.tmpdir(), 'undock-k8s-'));
  const oldState = process.env.XDG_STATE_HOME;
  process.env.XDG_STATE_HOME = state;
  const t = renderApp(fakeContext({view: 'keys'}, {etcd: etcdOf([['/registry/secrets/shop/web-secret', encodeK8sObject(secret)], ['/registry/configmaps/shop/web-config', encodeK8sObject(FIXTURES.find((o) => o.kind === 'ConfigMap')!)]])}));
  try {
    await t.until((s) => s.includes('etcd keys'));
    t.press('/shop/\r');
    await t.until((s) => s.includes('kind: ConfigMap'));
    t.press('j');
    const masked = await t.until((s) => s.includes('data masked: x reveals it'));
    assert.match(masked, /token: •••••••• \(12 bytes\)/);
    assert.ok(!masked.includes(TOKEN), 'the token is not on screen');
    t.press('x');
    const shown = await t.until((s) => s.includes(`token: ${TOKEN}`));
    assert.match(shown, /data decoded from base64: x masks it again/);
    assert.match(shown, /tls\.key: AP8B\/g== \(binary, base64\)/);
    t.press('x');
    await t.until((s) => s.includes('data masked: x reveals it') && !s.includes(TOKEN));
    t.press('x');
    await t.until((s) => s.includes(`token: ${TOKEN}`));
    // another key: masked again when it comes back
    t.press('k');
    await t.until((s) => s.includes('kind: ConfigMap'));
    t.press('x');
    await t.until((s) => s.includes('x reveals the data of a Secret'));
    t.press('j');
    await t.until((s) => s.includes('data masked: x reveals it'));
    t.press(':messages\r');
    const list = await t.until((s) => s.includes('Messages ['));
    assert.ok(!list.includes(TOKEN) && !list.includes(Buffer.from(TOKEN).toString('base64')), 'the revealed data is not in :messages');
    const crashLog = path.join(state, 'undock', 'crash.log');
    assert.ok(!fs.existsSync(crashLog) || !fs.readFileSync(crashLog, 'utf8').includes(TOKEN), 'nor in the crash log');
  } finally {
    t.done();
    if (oldState === undefined) delete process.env.XDG_STATE_HOME;
    else process.env.XDG_STATE_HOME = oldState;
    fs.rmSync(state, {recursive: true, force: true});
  }
});
