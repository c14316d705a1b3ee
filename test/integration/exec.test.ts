import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {Readable} from 'node:stream';
import {fileURLToPath} from 'node:url';
import {after, before, test} from 'node:test';
import {buildConfig} from '../../source/config.js';
import {createDataContext} from '../../source/context.js';
import {execInContainer, type ExecSession} from '../../source/data/containerd/exec.js';
import {pickShell} from '../../source/data/containerd/exec-shell.js';
import {UndockError} from '../../source/data/errors.js';
import {ctr} from '../helpers/ctr.js';
import {sandboxEnv} from '../helpers/sandbox-env.js';

const env = sandboxEnv();
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// The default FIFO folders are made under os.tmpdir(): a private one shows whether any is left behind.
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'undock-exec-test-'));
process.env.TMPDIR = tmp;
const ctx = createDataContext(buildConfig({address: env.address, etcdEndpoints: env.etcdEndpoints}, {}));
const NS = 'default';
const bashBox = `exectest-${process.pid}`;

before(() => {
  // A container of this test's own whose root has /bin/bash (an absolute symlink, as distributions ship it).
  const runcRoot = process.env.UNDOCK_RUNC_ROOT ?? path.join(env.sandbox, 'runc');
  const cgroupParent = process.env.UNDOCK_CGROUP_PARENT;
  const snapshotter = process.env.CONTAINERD_SNAPSHOTTER ?? 'overlayfs';
  ctr(
    NS,
    'run',
    '-d',
    '--net-host',
    '--snapshotter',
    snapshotter,
    '--runc-root',
    runcRoot,
    ...(cgroupParent ? ['--cgroup', `${cgroupParent}/${NS}/${bashBox}`] : []),
    '--null-io',
    'docker.io/library/busybox:latest',
    bashBox,
    'sleep',
    '600',
  );
});

after(async () => {
  for (const s of sessions) {
    await s.kill().catch(() => undefined);
    s.stdout.resume();
    s.stderr?.resume();
    await s.exited.catch(() => undefined);
  }
  try {
    ctr(NS, 'tasks', 'kill', '-s', 'SIGKILL', bashBox);
  } catch {
    // Not running.
  }
  for (let i = 0; i < 50; i++) {
    try {
      ctr(NS, 'tasks', 'rm', '-f', bashBox);
      break;
    } catch {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
  }
  try {
    ctr(NS, 'containers', 'rm', bashBox);
  } catch {
    // Already gone.
  }
  ctx.close();
  fs.rmSync(tmp, {recursive: true, force: true});
});

function collect(stream: Readable | undefined): {text: () => string; until: (re: RegExp, ms?: number) => Promise<string>} {
  let text = '';
  const waiters: Array<() => void> = [];
  stream?.on('data', (d: Buffer) => {
    text += d.toString('utf8');
    for (const w of waiters.splice(0)) w();
  });
  return {
    text: () => text,
    until: async (re, ms = 5_000) => {
      const deadline = Date.now() + ms;
      while (!re.test(text)) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no ${re} in output within ${ms} ms; got ${JSON.stringify(text)}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return text;
    },
  };
}

/** The exec ids containerd lists for a container's processes (runc's ProcessDetails{ExecID:...}). */
function execIds(containerId: string, ns = NS): string[] {
  return [...ctr(ns, 'tasks', 'ps', containerId).matchAll(/ExecID:([^,}]+)/g)].map((m) => m[1]!);
}

/** FIFO folders left in the private temp folder. */
function leftovers(): string[] {
  return fs.readdirSync(tmp).filter((n) => n.startsWith('undock-exec-'));
}

// Sessions a failed assertion left running are killed, so the test process never hangs on them.
const sessions = new Set<ExecSession>();
async function exec(ns: string, id: string, opts: Parameters<typeof execInContainer>[3]): Promise<ExecSession> {
  const s = await execInContainer(ctx.containerd, ns, id, opts);
  sessions.add(s);
  void s.exited.finally(() => sessions.delete(s)).catch(() => undefined);
  return s;
}

async function finished(session: ExecSession): Promise<number> {
  const code = await session.exited;
  // Deleted in containerd, and its FIFO folder gone.
  assert.ok(!execIds('web').includes(session.execId), `exec ${session.execId} still listed by ctr tasks ps`);
  return code;
}

test('exec without a tty: stdout, stderr and the exit code', async () => {
  const s = await exec(NS, 'web', {args: ['sh', '-c', 'echo $((6*7)); echo oops >&2; exit 0'], tty: false});
  assert.ok(s.stderr, 'stderr is separate without a tty');
  const out = collect(s.stdout);
  const err = collect(s.stderr);
  assert.equal(await finished(s), 0);
  assert.equal(out.text(), '42\n');
  assert.equal(err.text(), 'oops\n');
  assert.deepEqual(leftovers(), []);
});

test('a non-zero exit code comes back, and output written just before exit is not lost', async () => {
  const s = await exec(NS, 'web', {args: ['sh', '-c', 'seq 1 20000; exit 3'], tty: false});
  const out = collect(s.stdout);
  s.stderr?.resume();
  assert.equal(await finished(s), 3);
  const lines = out.text().trimEnd().split('\n');
  assert.equal(lines.length, 20000);
  assert.equal(lines.at(-1), '20000');
});

test('the process runs with the container spec: its env, cwd and user, plus extra env and cwd', async () => {
  const s = await exec(NS, 'web', {
    args: ['sh', '-c', 'echo "$PATH|$(pwd)|$(id -u)|$EXTRA"'],
    tty: false,
    env: ['EXTRA=yes'],
    cwd: '/tmp',
  });
  const out = collect(s.stdout);
  assert.equal(await finished(s), 0);
  const spec = JSON.parse(ctr(NS, 'containers', 'info', 'web')).Spec.process;
  const specPath = (spec.env as string[]).find((e) => e.startsWith('PATH='))!.slice(5);
  assert.equal(out.text(), `${specPath}|/tmp|${spec.user.uid}|yes\n`);
});

test('stdin without a tty: closeStdin gives the process EOF (Tasks.CloseIO)', async () => {
  const s = await exec(NS, 'web', {args: ['sh', '-c', 'wc -l; cat /dev/null'], tty: false});
  const out = collect(s.stdout);
  s.stdin.write('one\ntwo\n');
  s.stdin.write('three\n');
  await s.closeStdin();
  assert.equal(await finished(s), 0);
  assert.equal(out.text().trim(), '3');
});

test('exec with a tty: typed commands run and exit ends the session with code 0', async () => {
  const s = await exec(NS, 'web', {args: ['/bin/sh'], tty: true, cols: 80, rows: 24});
  assert.equal(s.stderr, undefined, 'a tty has one output stream');
  const out = collect(s.stdout);
  await out.until(/# /);
  s.stdin.write('echo $((6*7))\r');
  await out.until(/\r\n42\r\n/);
  s.stdin.write('exit\r');
  assert.equal(await finished(s), 0);
  assert.match(out.text(), /\r\n42\r\n/);
});

test('the tty starts at the given size and follows resize', async () => {
  const s = await exec(NS, 'web', {args: ['/bin/sh'], tty: true, cols: 100, rows: 30});
  const out = collect(s.stdout);
  await out.until(/# /);
  s.stdin.write('stty size\r');
  await out.until(/\r\n30 100\r\n/);
  await s.resize(132, 43);
  s.stdin.write('stty size\r');
  await out.until(/\r\n43 132\r\n/);
  s.stdin.write('exit 7\r');
  assert.equal(await finished(s), 7);
});

test('kill ends a running exec (SIGKILL: 128+9) and is harmless once it has exited', async () => {
  const s = await exec(NS, 'web', {args: ['sleep', '300'], tty: false});
  s.stdout.resume();
  s.stderr?.resume();
  assert.ok(execIds('web').includes(s.execId), 'ctr tasks ps lists the exec while it runs');
  await s.kill();
  assert.equal(await finished(s), 137);
  await s.kill();
});

test('exec into a CRI container (namespace k8s.io, by its CRI id) sees the env CRI gave it', async () => {
  const running = await ctx.cri.listContainers({state: 'running'});
  const nginx = running.find((c) => c.name === 'nginx');
  assert.ok(nginx, `a seeded running CRI container named nginx (have: ${running.map((c) => c.name).join(', ')})`);
  const s = await exec('k8s.io', nginx.id, {args: ['sh', '-c', 'echo "$POD_NAME $((6*7))"'], tty: false});
  const out = collect(s.stdout);
  s.stderr?.resume();
  assert.equal(await s.exited, 0);
  assert.equal(out.text(), 'nginx-7d9f 42\n');
  assert.ok(!execIds(nginx.id, 'k8s.io').includes(s.execId));
  // And with a terminal.
  const t = await exec('k8s.io', nginx.id, {args: ['sh'], tty: true, cols: 90, rows: 20});
  const screen = collect(t.stdout);
  t.stdin.write('stty size; exit\r');
  assert.equal(await t.exited, 0);
  assert.match(screen.text(), /\r\n20 90\r\n/);
});

test('exec into a stopped container fails at once with the fix in the message', async () => {
  const t0 = performance.now();
  await assert.rejects(execInContainer(ctx.containerd, NS, 'batch-job', {args: ['sh'], tty: true}), (e: unknown) => {
    assert.ok(e instanceof UndockError);
    assert.equal(e.kind, 'invalid');
    assert.equal(e.line, 'container batch-job is not running: start it first');
    return true;
  });
  const ms = performance.now() - t0;
  assert.ok(ms < 1000, `took ${ms.toFixed(0)} ms`);
  // A container without any task, and one that does not exist.
  await assert.rejects(execInContainer(ctx.containerd, NS, 'unstarted', {args: ['sh'], tty: false}), /container unstarted is not running/);
  await assert.rejects(execInContainer(ctx.containerd, NS, `no-such-${process.pid}`, {args: ['sh'], tty: false}), (e: unknown) => {
    assert.ok(e instanceof UndockError);
    assert.equal(e.kind, 'not-found');
    assert.equal(e.message, `no container no-such-${process.pid} in namespace default`);
    return true;
  });
  await assert.rejects(pickShell(ctx.containerd, NS, 'batch-job'), /container batch-job is not running/);
  assert.deepEqual(leftovers(), []);
});

test('a command (or working directory) missing from the image is a clear not-found, and nothing is left behind', async () => {
  const before = execIds('web');
  for (const [args, tty] of [
    [['/no/such'], false],
    [['/bin/bash'], true],
  ] as const) {
    await assert.rejects(execInContainer(ctx.containerd, NS, 'web', {args: [...args], tty}), (e: unknown) => {
      assert.ok(e instanceof UndockError);
      assert.equal(e.kind, 'not-found');
      assert.equal(e.message, `no ${args[0]} in container web`);
      return true;
    });
  }
  await assert.rejects(execInContainer(ctx.containerd, NS, 'web', {args: ['sh'], tty: false, cwd: '/no/such/folder'}), (e: unknown) => {
    assert.ok(e instanceof UndockError);
    assert.equal(e.kind, 'not-found');
    assert.equal(e.message, 'no working directory /no/such/folder in container web');
    return true;
  });
  assert.deepEqual(execIds('web'), before);
  assert.deepEqual(leftovers(), []);
});

test('pickShell: /bin/sh where the image has no bash, /bin/bash where it has one', async () => {
  assert.deepEqual(await pickShell(ctx.containerd, NS, 'web'), ['/bin/sh']);
  assert.deepEqual(await pickShell(ctx.containerd, NS, bashBox), ['/bin/sh']);
  // An absolute symlink inside the container's root must resolve inside that root, not on the host.
  const row = ctr(NS, 'tasks', 'ls')
    .split('\n')
    .find((l) => l.startsWith(`${bashBox} `));
  const taskPid = Number(row?.trim().split(/\s+/)[1]);
  assert.ok(taskPid > 0, `task pid of ${bashBox}`);
  fs.symlinkSync('/bin/busybox', `/proc/${taskPid}/root/bin/bash`);
  assert.deepEqual(await pickShell(ctx.containerd, NS, bashBox), ['/bin/bash']);
});

test('--readonly refuses an exec before anything runs in the container', async () => {
  const readonly = createDataContext(buildConfig({address: env.address, etcdEndpoints: env.etcdEndpoints, readonly: true}, {}));
  try {
    const before = execIds('web');
    await assert.rejects(execInContainer(readonly.containerd, NS, 'web', {args: ['touch', '/tmp/readonly-broken'], tty: false}), (e: unknown) => {
      assert.ok(e instanceof UndockError);
      assert.equal(e.kind, 'readonly');
      return true;
    });
    assert.deepEqual(execIds('web'), before);
    assert.deepEqual(leftovers(), []);
  } finally {
    readonly.close();
  }
});

test('a FIFO folder given by the caller is kept, the FIFOs in it are removed', async () => {
  const dir = fs.mkdtempSync(path.join(tmp, 'given-'));
  try {
    const s = await exec(NS, 'web', {args: ['echo', 'hi'], tty: false, fifoDir: dir});
    assert.equal(fs.readdirSync(dir).length, 3, 'stdin, stdout and stderr FIFOs');
    const out = collect(s.stdout);
    s.stderr?.resume();
    assert.equal(await s.exited, 0);
    assert.equal(out.text(), 'hi\n');
    assert.deepEqual(fs.readdirSync(dir), []);
  } finally {
    fs.rmSync(dir, {recursive: true, force: true});
  }
});

test('a process that only execs and closes its client exits on its own (no FIFO holds it)', async () => {
  const script = `
    import {buildConfig} from ${JSON.stringify(path.join(repo, 'source/config.js'))};
    import {createDataContext} from ${JSON.stringify(path.join(repo, 'source/context.js'))};
    import {execInContainer} from ${JSON.stringify(path.join(repo, 'source/data/containerd/exec.js'))};
    const ctx = createDataContext(buildConfig({address: ${JSON.stringify(env.address)}}, {}));
    const s = await execInContainer(ctx.containerd, 'default', 'web', {args: ['/bin/sh'], tty: true});
    s.stdout.resume();
    s.stdin.write('exit 0\\r');
    const a = await s.exited;
    const b = await execInContainer(ctx.containerd, 'default', 'web', {args: ['sh', '-c', 'exit 4'], tty: false});
    const code = await b.exited;
    await execInContainer(ctx.containerd, 'default', 'web', {args: ['/no/such'], tty: false}).catch(() => undefined);
    await execInContainer(ctx.containerd, 'default', 'batch-job', {args: ['sh'], tty: false}).catch(() => undefined);
    // Never read: exited must still come (the FIFO is closed on our side when done).
    const c = await execInContainer(ctx.containerd, 'default', 'web', {args: ['echo', 'unread'], tty: false});
    await c.exited;
    ctx.close();
    console.log(a, code);
  `;
  const t0 = performance.now();
  const {stdout} = await new Promise<{stdout: string}>((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      {cwd: repo, env: {...process.env, TMPDIR: tmp}, timeout: 30_000},
      (err, out, errOut) => (err ? reject(new Error(`${err.message}\n${errOut}`)) : resolve({stdout: out})),
    );
  });
  assert.equal(stdout.trim(), '0 4');
  assert.ok(performance.now() - t0 < 30_000);
  assert.deepEqual(leftovers(), []);
});
