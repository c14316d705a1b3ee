import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {after, test} from 'node:test';
import {buildConfig} from '../../source/config.js';
import {createDataContext} from '../../source/context.js';
import {readImageConfig} from '../../source/data/containerd/image-config.js';
import {runContainer, type RunOptions} from '../../source/data/containerd/run.js';
import {UndockError} from '../../source/data/errors.js';
import {ctr} from '../helpers/ctr.js';
import {sandboxEnv} from '../helpers/sandbox-env.js';

const env = sandboxEnv();
const ctx = createDataContext(buildConfig({address: env.address, etcdEndpoints: env.etcdEndpoints}, {}));
const NS = 'default';
const prefix = `runtest-${process.pid}`;
const logDir = path.join(env.sandbox, `${prefix}-logs`);
const created = new Set<string>();

/**
 * The sandbox's runc root and cgroup parent, derived as scripts/sandbox.sh derives them, so the
 * test's containers live where the sandbox's own do and `sandbox.sh down` cleans up after them.
 */
function sandboxRuntime(): Pick<RunOptions, 'runcRoot' | 'cgroupParent'> {
  const sb = fs.realpathSync(env.sandbox);
  const sha1 = (s: string) => createHash('sha1').update(s).digest('hex').slice(0, 8);
  const repo = fs.realpathSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..'));
  const id = sb === `/tmp/undock-${sha1(repo)}` ? sha1(repo) : sha1(sb);
  return {runcRoot: path.join(sb, 'runc'), cgroupParent: `/undock-${id}`};
}

async function run(opts: Omit<RunOptions, 'logDir'>) {
  created.add(opts.name);
  return runContainer(ctx.containerd, NS, {logDir, ...sandboxRuntime(), ...opts});
}

function tasks(): Map<string, {pid: number; status: string}> {
  const rows = ctr(NS, 'tasks', 'ls').trim().split('\n').slice(1);
  return new Map(
    rows.map((r) => {
      const [id = '', pid = '0', status = ''] = r.trim().split(/\s+/);
      return [id, {pid: Number(pid), status}];
    }),
  );
}

const containerIds = () => ctr(NS, 'containers', 'ls', '-q').trim().split('\n').filter(Boolean).sort();
const snapshotKeys = () =>
  ctr(NS, 'snapshots', 'ls')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(/\s+/)[0]!)
    .sort();

interface Info {
  Labels: Record<string, string>;
  Image: string;
  Runtime: {Name: string};
  Snapshotter: string;
  SnapshotKey: string;
  Spec: {process: {args: string[]; env: string[]; cwd: string}; linux: {namespaces: Array<{type: string}>; cgroupsPath: string}};
}
const info = (id: string) => JSON.parse(ctr(NS, 'containers', 'info', id)) as Info;

async function waitForLog(file: string, needle: string, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    if (text.includes(needle)) return text;
    if (Date.now() > deadline) throw new Error(`"${needle}" did not appear in ${file} within ${timeoutMs} ms; it holds:\n${text}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

after(() => {
  for (const id of created) {
    if (!containerIds().includes(id)) continue;
    try {
      ctr(NS, 'tasks', 'kill', '-s', 'SIGKILL', id);
    } catch {
      // no task, or already stopped
    }
    try {
      ctr(NS, 'tasks', 'delete', '-f', id);
    } catch {
      // no task
    }
    ctr(NS, 'containers', 'delete', id);
  }
  fs.rmSync(logDir, {recursive: true, force: true});
  ctx.close();
});

const busy = `${prefix}-busy`;

test('runs busybox with a command and env: RUNNING with its pid, labelled, logging', async () => {
  const res = await run({image: 'busybox', name: busy, command: ['sh', '-c', 'echo hello-$((6*7)); sleep 300'], env: ['FOO=bar']});
  assert.equal(res.id, busy);
  assert.equal(res.logPath, path.join(logDir, NS, `${busy}.log`));

  const task = tasks().get(busy);
  assert.deepEqual(task, {pid: res.pid, status: 'RUNNING'});

  const c = info(busy);
  assert.equal(c.Labels['nerdctl/name'], busy);
  assert.equal(c.Labels['undock/log-uri'], `file://${res.logPath}`);
  assert.equal(c.Labels['undock/created-by'], 'undock');
  assert.equal(c.Image, 'docker.io/library/busybox:latest');
  assert.equal(c.Runtime.Name, 'io.containerd.runc.v2');
  assert.equal(c.SnapshotKey, busy);
  assert.deepEqual(c.Spec.process.args, ['sh', '-c', 'echo hello-$((6*7)); sleep 300']);
  assert.ok(c.Spec.process.env.includes('FOO=bar'), `env: ${c.Spec.process.env.join(' ')}`);
  assert.ok(c.Spec.process.env.some((e) => e.startsWith('PATH=')));
  assert.ok(!c.Spec.linux.namespaces.some((n) => n.type === 'network'), 'host network by default');
  assert.equal(c.Spec.linux.cgroupsPath, `${sandboxRuntime().cgroupParent}/${NS}/${busy}`);

  // The snapshot is the container's, with the creation-time GC guard gone.
  const snap = JSON.parse(ctr(NS, 'snapshots', '--snapshotter', c.Snapshotter, 'info', busy)) as {Kind: string; Labels?: Record<string, string>};
  assert.equal(snap.Kind, 'Active');
  assert.equal(snap.Labels?.['containerd.io/gc.root'], undefined);

  const log = await waitForLog(res.logPath!, 'hello-42');
  assert.ok(!log.includes('$((6*7))'));
});

test("the image's own Entrypoint and Cmd, Env and WorkingDir are used when no command is given", async () => {
  const name = `${prefix}-toolbox`;
  const res = await run({image: 'localhost/undock/toolbox:dev', name, env: ['HELLO_INTERVAL=1']});
  assert.equal(tasks().get(name)?.status, 'RUNNING');
  const c = info(name);
  assert.deepEqual(c.Spec.process.args, ['/usr/local/bin/hello']);
  assert.equal(c.Spec.process.cwd, '/root');
  // The override replaced the image's HELLO_INTERVAL=5 rather than adding a second one.
  assert.deepEqual(c.Spec.process.env.filter((e) => e.startsWith('HELLO_INTERVAL=')), ['HELLO_INTERVAL=1']);
  const log = await waitForLog(res.logPath!, 'toolbox heartbeat 2');
  assert.match(log, /Welcome to the undock toolbox image\./);
});

test('a container without host networking gets its own network namespace and hostname', async () => {
  const name = `${prefix}-isolated`;
  const res = await run({image: 'busybox', name, hostNetwork: false, command: ['sh', '-c', 'echo "host=$(hostname) ifs=$(ls /sys/class/net | tr "\\n" " ")"; sleep 300']});
  assert.ok(info(name).Spec.linux.namespaces.some((n) => n.type === 'network'));
  const log = await waitForLog(res.logPath!, 'host=');
  assert.match(log, new RegExp(`host=${name} ifs=lo $`, 'm'));
});

test('the chain ID names the committed snapshot the image is unpacked as', async () => {
  const toolbox = await readImageConfig(ctx.containerd, NS, 'localhost/undock/toolbox:dev');
  assert.equal(toolbox.diffIds.length, 2);
  const busybox = await readImageConfig(ctx.containerd, NS, 'busybox');
  assert.equal(busybox.name, 'docker.io/library/busybox:latest');
  assert.equal(busybox.chainId, busybox.diffIds[0]);
  const keys = snapshotKeys();
  assert.ok(keys.includes(toolbox.chainId), `${toolbox.chainId} in ${keys.join(' ')}`);
  assert.ok(keys.includes(busybox.chainId));
  // The toolbox's top layer sits on the busybox layer it shares.
  const top = JSON.parse(ctr(NS, 'snapshots', 'info', toolbox.chainId)) as {Parent: string; Kind: string};
  assert.deepEqual([top.Kind, top.Parent], ['Committed', busybox.chainId]);
});

test('a name already in use is refused, and nothing new is created', async () => {
  const before = {containers: containerIds(), snapshots: snapshotKeys(), tasks: tasks()};
  for (const name of [busy, 'web']) {
    await assert.rejects(
      runContainer(ctx.containerd, NS, {image: 'busybox', name, command: ['true'], logDir, ...sandboxRuntime()}),
      (e: unknown) => {
        assert.ok(e instanceof UndockError);
        assert.equal(e.kind, 'invalid');
        assert.match(e.message, new RegExp(`"${name}" is already in use in namespace default`));
        return true;
      },
    );
  }
  assert.deepEqual(containerIds(), before.containers);
  assert.deepEqual(snapshotKeys(), before.snapshots);
  assert.deepEqual(tasks().get(busy), before.tasks.get(busy), 'the running container is untouched');
});

test('an invalid name is refused before anything is asked of containerd', async () => {
  await assert.rejects(
    runContainer(ctx.containerd, NS, {image: 'busybox', name: '-bad name', logDir}),
    (e: unknown) => e instanceof UndockError && e.kind === 'invalid' && /not a valid container name/.test(e.message),
  );
});

test('a bad image reference gives a clear error and leaves no container or snapshot', async () => {
  const before = {containers: containerIds(), snapshots: snapshotKeys()};
  const name = `${prefix}-noimage`;
  await assert.rejects(run({image: 'docker.io/library/no-such-image:nope', name}), (e: unknown) => {
    assert.ok(e instanceof UndockError);
    assert.equal(e.kind, 'not-found');
    assert.match(e.message, /image "docker\.io\/library\/no-such-image:nope" not found in namespace default/);
    return true;
  });
  await assert.rejects(run({image: 'Not A Ref!', name}), (e: unknown) => e instanceof UndockError && e.kind === 'invalid' && /not an image reference/.test(e.message));
  assert.deepEqual(containerIds(), before.containers);
  assert.deepEqual(snapshotKeys(), before.snapshots);
});

test('a command that cannot start is undone: no task, container or snapshot is left', async () => {
  const before = {containers: containerIds(), snapshots: snapshotKeys()};
  const name = `${prefix}-nobinary`;
  await assert.rejects(run({image: 'busybox', name, command: ['/no/such/binary']}), (e: unknown) => {
    assert.ok(e instanceof UndockError);
    assert.match(e.message, new RegExp(`^run ${name}: (creating|starting) the task: `));
    assert.doesNotMatch(e.message, /undoing failed/);
    return true;
  });
  assert.ok(!tasks().has(name));
  assert.ok(!fs.existsSync(path.join(logDir, NS, `${name}.log`)), 'the log file made for it is gone too');
  assert.deepEqual(containerIds(), before.containers);
  assert.deepEqual(snapshotKeys(), before.snapshots);
});

test('with --readonly nothing is run and nothing is created', async () => {
  const before = {containers: containerIds(), snapshots: snapshotKeys()};
  const ro = createDataContext(buildConfig({address: env.address, etcdEndpoints: env.etcdEndpoints, readonly: true}, {}));
  try {
    await assert.rejects(
      runContainer(ro.containerd, NS, {image: 'busybox', name: `${prefix}-readonly`, command: ['true'], logDir}),
      (e: unknown) => e instanceof UndockError && e.kind === 'readonly',
    );
  } finally {
    ro.close();
  }
  assert.deepEqual(containerIds(), before.containers);
  assert.deepEqual(snapshotKeys(), before.snapshots);
});
