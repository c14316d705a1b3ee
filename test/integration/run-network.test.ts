// `run` as nerdctl: published ports through CNI (bridge + portmap), labels, restart on exit, a TTY to attach to,
// restart, and signalling one process. Checked with ctr, curl, iptables-save and the filesystem.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {after, test} from 'node:test';
import {buildConfig} from '../../source/config.js';
import {createDataContext} from '../../source/context.js';
import {attachTask} from '../../source/data/containerd/attach.js';
import {deleteContainer} from '../../source/data/containerd/containers.js';
import {runContainer, type RunOptions} from '../../source/data/containerd/run.js';
import {restartTask, signalNumber, signalProcess} from '../../source/data/containerd/signal.js';
import {listPids, stopTask} from '../../source/data/containerd/tasks.js';
import {loadNetworkList} from '../../source/data/cni/network.js';
import {ctr} from '../helpers/ctr.js';
import {sandboxEnv} from '../helpers/sandbox-env.js';

const env = sandboxEnv();
const ctx = createDataContext(buildConfig({address: env.address, etcdEndpoints: env.etcdEndpoints}, process.env));
const cfg = ctx.config;
const NS = 'default';
const prefix = `runnet-${process.pid}`;
const created = new Set<string>();
const network = loadNetworkList(cfg.cniConflist);
const cni = {network, pluginDirs: cfg.cniPath};
const ipStore = path.join('/var/lib/cni/networks', network.name);

async function run(opts: Omit<RunOptions, 'logDir' | 'image'>) {
  created.add(opts.name);
  return runContainer(ctx.containerd, NS, {image: 'busybox', logDir: cfg.logDir, runDir: cfg.runDir, runcRoot: cfg.runcRoot, cgroupParent: cfg.cgroupParent, ...opts});
}

const remove = (id: string) => deleteContainer(ctx.containerd, NS, id, {cniPluginDirs: cfg.cniPath});
const containerIds = () => ctr(NS, 'containers', 'ls', '-q').trim().split('\n').filter(Boolean);
const info = (id: string) => JSON.parse(ctr(NS, 'containers', 'info', id)) as {Labels: Record<string, string>; Spec: {linux: {namespaces: Array<{type: string; path?: string}>}}};
function task(id: string): {pid: number; status: string} | undefined {
  const row = ctr(NS, 'tasks', 'ls').split('\n').find((l) => l.split(/\s+/)[0] === id);
  if (!row) return undefined;
  const [, pid = '0', status = ''] = row.trim().split(/\s+/);
  return {pid: Number(pid), status};
}
const natRules = () => execFileSync('iptables-save', ['-t', 'nat'], {encoding: 'utf8'});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, ms: number, probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await sleep(200);
  }
}

function curl(port: number): string | undefined {
  try {
    return execFileSync('curl', ['-s', '--max-time', '2', `http://127.0.0.1:${port}/`], {encoding: 'utf8'});
  } catch {
    return undefined;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const {port} = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

after(async () => {
  for (const id of created) if (containerIds().includes(id)) await remove(id).catch(() => undefined);
  ctx.close();
});

const web = `${prefix}-web`;

test('a published port reaches busybox httpd in its own netns; restart keeps it; removal leaves no IP, rule or netns', async () => {
  const port = await freePort();
  const res = await run({
    name: web,
    command: ['sh', '-c', 'mkdir -p /www && echo "served from inside $(hostname)" > /www/index.html && exec httpd -f -p 80 -h /www'],
    ports: [{hostPort: port, containerPort: 80, protocol: 'tcp', hostIP: ''}],
    cni,
    labels: {team: 'blue', tier: 'web'},
  });
  assert.ok(res.ip, 'the container has an address on the CNI network');
  const c = info(web);
  assert.equal(c.Labels.team, 'blue');
  assert.equal(c.Labels.tier, 'web');
  const netns = c.Spec.linux.namespaces.find((n) => n.type === 'network');
  assert.equal(netns?.path, path.join(cfg.runDir, 'netns', `${NS}-${web}`));
  assert.ok(fs.existsSync(netns.path!));
  const saved = JSON.parse(c.Labels['undock/cni']!) as {netns: string; ports: unknown[]};
  assert.equal(saved.netns, netns.path);
  assert.equal(fs.readFileSync(path.join(ipStore, res.ip!), 'utf8').split(/\s/)[0], `${NS}-${web}`);
  assert.match(natRules(), new RegExp(`--dport ${port} .*-j DNAT --to-destination ${res.ip!.replace(/\./g, '\\.')}:80`));

  const body = await until('curl through the published port', 15_000, () => curl(port));
  assert.equal(body.trim(), `served from inside ${web}`);

  const before = task(web)!.pid;
  await restartTask(ctx.containerd, NS, web, 2_000);
  const after = task(web)!;
  assert.equal(after.status, 'RUNNING');
  assert.notEqual(after.pid, before);
  assert.equal((await until('curl after restart', 15_000, () => curl(port))).trim(), `served from inside ${web}`);

  await remove(web);
  assert.ok(!containerIds().includes(web));
  assert.ok(!fs.existsSync(path.join(ipStore, res.ip!)), 'the host-local IP file is gone');
  const rules = natRules();
  assert.ok(!rules.includes(`id: \\"${NS}-${web}\\"`), 'no portmap rule names the container');
  assert.ok(!new RegExp(`--dport ${port}\\b`).test(rules), `no DNAT rule for port ${port} is left`);
  assert.ok(!fs.existsSync(netns.path!), 'the network namespace is removed');
  assert.ok(!fs.readFileSync('/proc/self/mounts', 'utf8').includes(netns.path!), 'and unmounted');
  assert.equal(curl(port), undefined, 'nothing answers on the port any more');
});

test('ports without a network of its own are refused before anything is made', async () => {
  const name = `${prefix}-hostports`;
  await assert.rejects(run({name, command: ['true'], ports: [{hostPort: 1, containerPort: 1, protocol: 'tcp', hostIP: ''}]}), /published ports need/);
  assert.ok(!containerIds().includes(name));
});

test("restart always: containerd's restart monitor starts the task again after it dies; stop tells it stopped", async () => {
  const name = `${prefix}-always`;
  await run({name, command: ['sleep', '600'], restart: true});
  assert.equal(info(name).Labels['containerd.io/restart.status'], 'running');
  const first = task(name)!.pid;
  ctr(NS, 'tasks', 'kill', '-s', 'SIGKILL', name);
  // The monitor looks every 10 s.
  const again = await until('the monitor restarting it', 30_000, () => {
    const t = task(name);
    return t?.status === 'RUNNING' && t.pid !== first ? t : undefined;
  });
  assert.notEqual(again.pid, first);
  await stopTask(ctx.containerd, NS, name, 1_000);
  assert.equal(info(name).Labels['containerd.io/restart.status'], 'stopped');
  await remove(name);
});

test('a TTY container: attach, type, detach (it keeps running), attach again, exit ends it', async () => {
  const name = `${prefix}-tty`;
  await run({name, command: ['sh'], tty: true});
  const dir = info(name).Labels['undock/tty']!;
  assert.ok(fs.existsSync(path.join(dir, 'stdin')));
  const read = (s: net.Socket, needle: string) =>
    until(`"${needle}" on the TTY`, 10_000, () => (out.includes(needle) ? out : undefined));
  let out = '';
  let a = await attachTask(ctx.containerd, NS, name);
  a.stdout.on('data', (d: Buffer) => (out += d.toString()));
  a.stdin.write('echo hi-$((6*7))\r');
  await read(a.stdout, 'hi-42');
  a.detach();
  await sleep(500);
  assert.equal(task(name)?.status, 'RUNNING', 'detaching leaves the shell running');
  out = '';
  a = await attachTask(ctx.containerd, NS, name);
  a.stdout.on('data', (d: Buffer) => (out += d.toString()));
  a.stdin.write('echo again-$((5*5))\r');
  await read(a.stdout, 'again-25');
  a.stdin.write('exit 3\r');
  assert.equal(await a.exited, 3);
  a.detach();
  const holder = Number(fs.readFileSync(path.join(dir, 'holder.pid'), 'utf8'));
  await remove(name);
  assert.ok(!fs.existsSync(dir), 'the TTY folder is removed');
  assert.ok(!fs.existsSync(`/proc/${holder}`) || fs.readFileSync(`/proc/${holder}/stat`, 'utf8').split(' ')[2] === 'Z', 'its holder is gone');
});

test('a signal to one process of the container, not the whole task', async () => {
  const name = `${prefix}-sig`;
  await run({name, command: ['sh', '-c', 'sleep 301 & exec sleep 302']});
  const child = await until('the child sleep', 5_000, async () => {
    for (const p of await listPids(ctx.containerd, NS, name)) {
      if (fs.readFileSync(`/proc/${p.pid}/cmdline`, 'utf8').includes('301')) return p.pid;
    }
    return undefined;
  });
  assert.equal(await signalProcess(ctx.containerd, NS, name, child, signalNumber('SIGTERM')), 'pid');
  await until('the child to go', 5_000, async () => ((await listPids(ctx.containerd, NS, name)).some((p) => p.pid === child) ? undefined : true));
  assert.equal(task(name)?.status, 'RUNNING', 'the task itself still runs');
  const init = task(name)!.pid;
  // PID 1 of a namespace ignores signals it has no handler for, SIGKILL from outside aside.
  assert.equal(await signalProcess(ctx.containerd, NS, name, init, signalNumber('SIGKILL')), 'task');
  await until('the task to stop', 5_000, () => (task(name)?.status === 'STOPPED' ? true : undefined));
  await remove(name);
});
