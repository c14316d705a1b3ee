import assert from 'node:assert/strict';
import {execFile, execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {buildConfig} from '../../source/config.js';
import {createDataContext} from '../../source/context.js';
import {podStats} from '../../source/resources/pod-stats/index.js';
import {runtime} from '../../source/resources/runtime/index.js';
import {stats} from '../../source/resources/stats/index.js';
import {createTestPod, removeTestPod, sandboxCri, type TestPod} from '../helpers/cri-pod.js';
import {sandboxEnv} from '../helpers/sandbox-env.js';

const env = sandboxEnv();
const ctx = createDataContext(buildConfig({address: env.address, etcdEndpoints: env.etcdEndpoints}, {}));
const cri = sandboxCri();
const scope = {namespace: 'k8s.io', allNamespaces: false, params: {}};
const signal = new AbortController().signal;
let pod: TestPod | undefined;

const SCRIPT = 'mkdir -p /tmp/www && echo served-from-the-pod > /tmp/www/index.html && exec busybox httpd -f -p 8080 -h /tmp/www';

before(async () => {
  pod = await createTestPod(cri, {name: `pf-${process.pid}`, container: 'web', script: SCRIPT});
});

after(async () => {
  ctx.forwards.stopAll();
  if (pod) await removeTestPod(cri, pod);
  cri.conn.close();
  ctx.close();
});

/** curl runs beside this process's event loop, which serves the forward: never a sync spawn here. */
function curl(url: string): Promise<{ok: boolean; body: string}> {
  return new Promise((resolve) => {
    execFile('curl', ['-s', '--max-time', '10', url], {encoding: 'utf8'}, (err, stdout) => resolve({ok: !err, body: stdout}));
  });
}

async function until<T>(what: string, get: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await get();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

test('port-forward: curl through 127.0.0.1 reaches the server in the pod; each connection is its own stream; stop closes it', {timeout: 60_000}, async () => {
  const f = await ctx.forwards.start(ctx.cri.conn, pod!.id, `${pod!.namespace}/${pod!.name}`, 8080, 0);
  const url = `http://127.0.0.1:${f.localPort}/`;
  // httpd may still be starting: the first tries can get an empty reply.
  const body = await until('the forwarded page', async () => {
    const r = await curl(url);
    return r.ok && r.body.includes('served-from-the-pod') ? r.body : undefined;
  });
  assert.match(body, /served-from-the-pod/);
  assert.match((await curl(url)).body, /served-from-the-pod/, 'a second connection works too (a new one-time URL)');
  const listed = ctx.forwards.list().find((x) => x.id === f.id);
  assert.ok(listed && listed.connections >= 2, `the forward counted its connections: ${JSON.stringify(listed)}`);
  ctx.forwards.stop(f.id);
  assert.equal(ctx.forwards.list().length, 0);
  assert.equal((await curl(url)).ok, false, 'nothing listens after stop');
});

test('port-forward to a port nothing listens on reports the runtime error in the forward', {timeout: 30_000}, async () => {
  const f = await ctx.forwards.start(ctx.cri.conn, pod!.id, 'x/y', 9, 0);
  assert.equal((await curl(`http://127.0.0.1:${f.localPort}/`)).body, '');
  const err = await until('an error on the forward', async () => ctx.forwards.list().find((x) => x.id === f.id)?.lastError);
  assert.match(err, /9|refused|connect/i);
  ctx.forwards.stop(f.id);
});

test(':stats shows the pod container with its working set, disk and inodes (CRI ListContainerStats)', {timeout: 30_000}, async () => {
  const row = await until('stats for the test container', async () => {
    const rows = await stats.load(ctx, scope, signal);
    return rows.find((r) => r.id === pod!.containerId && (r.workingSet ?? 0) > 0);
  });
  assert.equal(row.pod, `${pod!.namespace}/${pod!.name}`);
  assert.ok((row.workingSet ?? 0) > 0);
  assert.ok(row.disk !== undefined && row.inodes !== undefined, 'writable layer usage is there');
  // The same figure the cgroup holds (working set = usage - inactive_file), within what moves meanwhile.
  const cg = path.join('/sys/fs/cgroup/memory', pod!.cgroupParent);
  if (fs.existsSync(cg)) {
    const usage = Number(fs.readFileSync(path.join(cg, 'memory.usage_in_bytes'), 'utf8'));
    assert.ok(row.workingSet! <= usage * 2, `working set ${row.workingSet} is of the order of the pod cgroup's usage ${usage}`);
  }
  // CPU needs two samples when the runtime gives no rate.
  await new Promise((r) => setTimeout(r, 1100));
  const again = (await stats.load(ctx, scope, signal)).find((r) => r.id === pod!.containerId)!;
  assert.ok(again.cpu !== undefined && again.cpu >= 0, `cpu is a figure after two samples: ${again.cpu}`);
});

test(':podstats gives the test pod CPU and memory, or says why the runtime cannot', {timeout: 30_000}, async () => {
  const rows = await podStats.load(ctx, scope, signal);
  const row = rows.find((r) => r.id === pod!.id);
  assert.ok(row, 'the ready test pod has a row');
  if (row.unsupported) assert.match(row.unsupported, /\w/);
  else assert.ok((row.workingSet ?? 0) > 0, `the pod's working set: ${JSON.stringify(row)}`);
});

test(':runtime shows RuntimeReady and NetworkReady and the CNI network the sandbox configured', {timeout: 30_000}, async () => {
  const rows = await runtime.load(ctx, scope, signal);
  const cond = (t: string) => rows.find((r) => r.what === t);
  assert.equal(cond('RuntimeReady')?.status, 'true');
  assert.equal(cond('NetworkReady')?.status, 'true');
  const conflist = JSON.parse(fs.readFileSync(path.join(env.sandbox, 'cni/net.d/10-undock.conflist'), 'utf8')) as {name: string; plugins: Array<{type: string}>};
  const net = rows.find((r) => r.what === `CNI network ${conflist.name}`);
  assert.ok(net, `the conflist's network ${conflist.name} is listed: ${rows.map((r) => r.what).join(', ')}`);
  for (const p of conflist.plugins) assert.match(net.detail, new RegExp(p.type));
  assert.ok(execFileSync('ls', [path.join(env.sandbox, 'cni/net.d')], {encoding: 'utf8'}).includes('10-undock.conflist'));
});
