import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import {after, test, type TestContext} from 'node:test';
import {buildConfig} from '../../source/config.js';
import {createDataContext} from '../../source/context.js';
import {getContainer} from '../../source/data/containerd/containers.js';
import {getTask} from '../../source/data/containerd/tasks.js';
import {UndockError} from '../../source/data/errors.js';
import {followLog, type FollowOptions, type LogLine} from '../../source/data/logs/follow.js';
import {criLogPath, nativeLogPath, previousAttemptLog} from '../../source/data/logs/paths.js';
import {LineRing} from '../../source/data/logs/ring.js';
import {sandboxEnv} from '../helpers/sandbox-env.js';

const env = sandboxEnv();
const ctx = createDataContext(buildConfig({address: env.address, etcdEndpoints: env.etcdEndpoints}, {}));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'undock-logs-test-'));
const followers: Array<{stop(): void}> = [];
after(() => {
  for (const f of followers) f.stop();
  ctx.close();
  fs.rmSync(dir, {recursive: true, force: true});
});

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** A follower whose lines, errors and rotations are recorded, with a way to wait for what is expected. */
function watchLog(file: string, opts: Partial<FollowOptions> & Pick<FollowOptions, 'format'>) {
  const batches: LogLine[][] = [];
  const errors: unknown[] = [];
  let rotations = 0;
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const w of waiters) w();
  };
  const follower = followLog(file, {
    tail: 10,
    follow: true,
    pollMs: 1000,
    ...opts,
    onLines: (lines) => {
      batches.push(lines);
      wake();
    },
    onError: (e) => {
      errors.push(e);
      wake();
    },
    onRotate: () => {
      rotations++;
      wake();
    },
  });
  followers.push(follower);
  const lines = () => batches.flat();
  const until = async (what: string, ok: () => boolean, ms = 5_000) => {
    const deadline = Date.now() + ms;
    while (!ok()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${what}: not within ${ms} ms; lines ${JSON.stringify(lines().map((l) => l.text).slice(-10))}`);
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          waiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, Math.min(left, 100));
        waiters.add(done);
      });
    }
  };
  return {batches, errors, lines, texts: () => lines().map((l) => l.text), rotations: () => rotations, until, stop: () => follower.stop()};
}

const stamp = (i: number) => new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString().replace('.000Z', `.${String(i % 1e9).padStart(9, '0')}Z`);

test('a seeded CRI container log: the tail first, then new lines as the container writes them', async (t: TestContext) => {
  const nginx = (await ctx.cri.listContainers({state: 'running'})).find((c) => c.name === 'nginx');
  assert.ok(nginx, 'the seeded CRI container nginx runs');
  const file = await criLogPath(ctx.cri, nginx.id);
  assert.equal(file, (await ctx.cri.containerStatus(nginx.id, false)).status.logPath);
  // The seed's container logs every 2 s: wait for a few lines to exist in a fresh sandbox.
  const req = (l: LogLine) => Number(/req=(\d+)/.exec(l.text)?.[1]);
  const deadline = Date.now() + 10_000;
  while ((fs.readFileSync(file, 'utf8').match(/\n/g)?.length ?? 0) < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));

  const log = watchLog(file, {format: 'cri', tail: 5});
  await log.until('the initial tail', () => log.batches.length > 0);
  const initial = log.batches[0]!;
  assert.ok(initial.length >= 2 && initial.length <= 5, `tail of ${initial.length} lines`);
  for (const line of initial) {
    assert.equal(line.stream, 'stdout');
    assert.ok(line.time instanceof Date && !Number.isNaN(line.time.getTime()));
    assert.match(line.text, /"GET \/index.html HTTP\/1.1" 200 615 req=\d+$/);
  }
  // The tail is the end of the file, in order, nothing skipped.
  const numbers = initial.map(req);
  numbers.forEach((n, i) => i > 0 && assert.equal(n, numbers[i - 1]! + 1));
  const fileLines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
  assert.ok(fileLines.slice(-6).some((l) => l.endsWith(`req=${numbers.at(-1)}`)));

  const t0 = performance.now();
  await log.until('a new line', () => log.lines().some((l) => req(l) > numbers.at(-1)!), 5_000);
  t.diagnostic(`new CRI line after ${(performance.now() - t0).toFixed(0)} ms (the container writes every 2 s)`);
  assert.deepEqual(log.errors, []);
});

test('the native web container log, found through its undock/log-uri label', async () => {
  const web = await getContainer(ctx.containerd, 'default', 'web');
  const file = nativeLogPath(web.labels);
  assert.equal(file, path.join(env.sandbox, 'logs', 'web.log'));
  // Without the label, the task's stdout file:// URI says the same.
  const task = await getTask(ctx.containerd, 'default', 'web');
  assert.equal(nativeLogPath({}, task?.stdout), file);
  assert.equal(nativeLogPath({'undock/log-uri': 'binary:///usr/bin/logger'}), undefined);
  assert.equal(nativeLogPath({}), undefined);

  const log = watchLog(file!, {format: 'plain', tail: 3});
  await log.until('the initial tail', () => log.batches.length > 0);
  assert.equal(log.batches[0]!.length, 3);
  const n = (text: string) => Number(/^web: line (\d+) at /.exec(text)?.[1]);
  const last = n(log.batches[0]!.at(-1)!.text);
  assert.ok(last > 0, log.batches[0]!.at(-1)!.text);
  await log.until('a new line (web writes every second)', () => log.texts().some((x) => n(x) > last), 3_500);
});

for (const format of ['plain', 'cri'] as const) {
  test(`a 200,000-line ${format} file opens with tail 200 fast and in bounded memory`, async (t: TestContext) => {
    const file = path.join(dir, `big.${format}.log`);
    const out = fs.openSync(file, 'w');
    const batch: string[] = [];
    for (let i = 1; i <= 200_000; i++) {
      const text = `line ${i} ${'x'.repeat(40)}`;
      if (format === 'plain') batch.push(`${text}\n`);
      else if (i % 1000 === 0) {
        // A long line in three chunks, with a stderr line in between.
        batch.push(`${stamp(i)} stdout P ${text} part1 `, `\n${stamp(i)} stderr F err ${i}\n`, `${stamp(i)} stdout P part2 \n${stamp(i)} stdout F part3\n`);
      } else batch.push(`${stamp(i)} stdout F ${text}\n`);
      if (batch.length >= 10_000) fs.writeSync(out, batch.splice(0).join(''));
    }
    fs.writeSync(out, batch.join(''));
    fs.closeSync(out);
    const bytes = fs.statSync(file).size;

    gc();
    const before = process.memoryUsage();
    let during: NodeJS.MemoryUsage | undefined;
    let lines: LogLine[] | undefined;
    const t0 = performance.now();
    await new Promise<void>((resolve, reject) => {
      followLog(file, {
        format,
        tail: 200,
        follow: false,
        onLines: (ls) => {
          during = process.memoryUsage();
          lines = ls;
          resolve();
        },
        onError: reject,
      });
    });
    const ms = performance.now() - t0;
    const grewBy = during!.arrayBuffers - before.arrayBuffers;
    t.diagnostic(`${format}: ${(bytes / 1e6).toFixed(1)} MB, tail 200 in ${ms.toFixed(1)} ms; buffers grew by ${(grewBy / 1024).toFixed(0)} KiB`);
    assert.ok(ms < 1000, `tail 200 took ${ms.toFixed(0)} ms`);
    // Reading the whole file would hold megabytes of buffers; the tail needs a chunk or two.
    assert.ok(grewBy < 2 * 1024 * 1024, `buffers grew by ${grewBy} bytes`);

    assert.equal(lines!.length, 200);
    if (format === 'plain') {
      assert.equal(lines![0]!.text, `line 199801 ${'x'.repeat(40)}`);
      assert.equal(lines!.at(-1)!.text, `line 200000 ${'x'.repeat(40)}`);
    } else {
      // The last 200 whole lines: the stderr line of 200000 comes first, its chunks joined after it.
      assert.equal(lines!.at(-1)!.text, `line 200000 ${'x'.repeat(40)} part1 part2 part3`);
      assert.equal(lines!.at(-1)!.stream, 'stdout');
      assert.deepEqual(lines!.at(-2), {time: new Date(stamp(200000)), stream: 'stderr', text: 'err 200000'});
      assert.equal(lines!.at(-3)!.text, `line 199999 ${'x'.repeat(40)}`);
      assert.equal(lines!.filter((l) => l.stream === 'stderr').length, 1);
      assert.equal(lines![0]!.text, `line 199802 ${'x'.repeat(40)}`);
    }
  });
}

test('following a fast-growing file into a ring keeps memory flat', async (t: TestContext) => {
  const file = path.join(dir, 'growing.log');
  fs.writeFileSync(file, '');
  const ring = new LineRing<LogLine>(1000);
  let count = 0;
  gc();
  const before = process.memoryUsage();
  let ready: () => void;
  const loaded = new Promise<void>((resolve) => (ready = resolve));
  const follower = followLog(file, {
    format: 'plain',
    tail: 0,
    follow: true,
    onLines: (ls) => {
      for (const l of ls) ring.push(l);
      count += ls.length;
      ready();
    },
    onError: (e) => assert.fail(String(e)),
  });
  followers.push(follower);
  // tail 0 starts at the end of the file as it is when opened: write only after that.
  await loaded;
  const total = 200_000;
  for (let i = 1; i <= total; i += 5_000) {
    const chunk: string[] = [];
    for (let j = i; j < i + 5_000; j++) chunk.push(`growing line ${j} ${'y'.repeat(60)}\n`);
    fs.appendFileSync(file, chunk.join(''));
    await new Promise((r) => setTimeout(r, 5));
  }
  const deadline = Date.now() + 10_000;
  while (count < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  follower.stop();
  assert.equal(count, total);
  assert.equal(ring.lines().at(-1)!.text, `growing line ${total} ${'y'.repeat(60)}`);
  assert.equal(ring.dropped, total - 1000);
  gc();
  const after = process.memoryUsage();
  const grew = after.heapUsed + after.arrayBuffers - (before.heapUsed + before.arrayBuffers);
  t.diagnostic(`${(fs.statSync(file).size / 1e6).toFixed(1)} MB followed; heap + buffers grew by ${(grew / 1e6).toFixed(1)} MB`);
  assert.ok(grew < 8e6, `heap and buffers grew by ${grew} bytes`);
});

test('rotation by rename: the rest of the old file, then the new file from its start', async () => {
  const file = path.join(dir, 'rotate.log');
  const line = (s: string) => `${new Date().toISOString()} stdout F ${s}\n`;
  fs.writeFileSync(file, line('old 1') + line('old 2'));
  const log = watchLog(file, {format: 'cri', tail: 1});
  await log.until('the initial tail', () => log.batches.length > 0);
  assert.deepEqual(log.texts(), ['old 2']);
  fs.appendFileSync(file, line('old 3'));
  await log.until('old 3', () => log.texts().includes('old 3'));
  // Renamed away; a writer still holding it open adds a line; then a new file takes the name.
  fs.renameSync(file, `${file}.1`);
  fs.appendFileSync(`${file}.1`, line('old 4, after the rename'));
  await new Promise((r) => setTimeout(r, 300));
  fs.writeFileSync(file, line('new 1') + line('new 2'));
  await log.until('the new file', () => log.texts().includes('new 2'));
  fs.appendFileSync(file, line('new 3'));
  await log.until('growth of the new file', () => log.texts().includes('new 3'));
  assert.deepEqual(log.texts(), ['old 2', 'old 3', 'old 4, after the rename', 'new 1', 'new 2', 'new 3']);
  assert.equal(log.rotations(), 1);
  assert.deepEqual(log.errors, []);
});

test('rotation by truncation: reading starts over from the beginning', async () => {
  const file = path.join(dir, 'truncate.log');
  fs.writeFileSync(file, 'a fairly long first line before truncation\nsecond line before truncation\n');
  const log = watchLog(file, {format: 'plain', tail: 5});
  await log.until('the initial tail', () => log.batches.length > 0);
  fs.truncateSync(file, 0);
  fs.appendFileSync(file, 'after\n');
  await log.until('the line after truncation', () => log.texts().includes('after'));
  assert.equal(log.rotations(), 1);
  fs.appendFileSync(file, 'and more\n');
  await log.until('growth after truncation', () => log.texts().includes('and more'));
  assert.deepEqual(log.texts(), ['a fairly long first line before truncation', 'second line before truncation', 'after', 'and more']);
});

test('an unfinished last line comes out once its newline is written', async () => {
  const file = path.join(dir, 'partial.log');
  fs.writeFileSync(file, 'done\nhalf');
  const log = watchLog(file, {format: 'plain', tail: 10});
  await log.until('the initial tail', () => log.batches.length > 0);
  assert.deepEqual(log.texts(), ['done']);
  fs.appendFileSync(file, ' and');
  await new Promise((r) => setTimeout(r, 1200));
  assert.deepEqual(log.texts(), ['done']);
  fs.appendFileSync(file, ' whole\r\nnext\n');
  await log.until('the completed line', () => log.texts().includes('next'));
  assert.deepEqual(log.texts(), ['done', 'half and whole', 'next']);
});

test('without follow the whole tail comes in one call, the unfinished last line included', async () => {
  const file = path.join(dir, 'once.log');
  fs.writeFileSync(file, 'one\ntwo\nthree');
  const calls: LogLine[][] = [];
  await new Promise<void>((resolve, reject) => {
    followLog(file, {format: 'plain', tail: 2, follow: false, onLines: (ls) => calls.push(ls), onError: reject});
    setTimeout(resolve, 300);
  });
  assert.deepEqual(calls, [[{text: 'two'}, {text: 'three'}]]);
  // All of it (tail Infinity), CRI chunks left unfinished at the end included.
  const cri = path.join(dir, 'once.cri.log');
  fs.writeFileSync(cri, `${stamp(1)} stdout F one\n${stamp(2)} stdout P unfinis`);
  fs.appendFileSync(cri, `hed\n${stamp(3)} stderr F two\n`);
  const all: LogLine[][] = [];
  await new Promise<void>((resolve, reject) => {
    followLog(cri, {format: 'cri', tail: Infinity, follow: false, onLines: (ls) => all.push(ls), onError: reject});
    setTimeout(resolve, 300);
  });
  assert.deepEqual(
    all.flat().map((l) => `${l.stream} ${l.text}`),
    ['stdout one', 'stderr two', 'stdout unfinished'],
  );
  const empty: LogLine[][] = [];
  fs.writeFileSync(path.join(dir, 'empty.log'), '');
  await new Promise<void>((resolve, reject) => {
    followLog(path.join(dir, 'empty.log'), {format: 'cri', tail: 10, follow: false, onLines: (ls) => empty.push(ls), onError: reject});
    setTimeout(resolve, 200);
  });
  assert.deepEqual(empty, [[]], 'an empty file still reports its (empty) tail once');
});

test('a missing file is reported, and picked up from its start when it appears', async () => {
  const file = path.join(dir, 'later.log');
  const log = watchLog(file, {format: 'plain', tail: 10});
  await log.until('the error', () => log.errors.length > 0);
  const e = log.errors[0];
  assert.ok(e instanceof UndockError);
  assert.equal(e.kind, 'not-found');
  assert.equal(e.message, `no log file at ${file}`);
  fs.writeFileSync(file, 'first\nsecond\n');
  await log.until('the lines', () => log.texts().includes('second'));
  assert.deepEqual(log.texts(), ['first', 'second']);
  assert.equal(log.errors.length, 1);
});

test('previousAttemptLog: <attempt-1>.log beside the current one, when it exists', () => {
  const container = fs.mkdtempSync(path.join(dir, 'pod-'));
  for (const n of ['0.log', '1.log']) fs.writeFileSync(path.join(container, n), '');
  assert.equal(previousAttemptLog(path.join(container, '1.log')), path.join(container, '0.log'));
  assert.equal(previousAttemptLog(path.join(container, '0.log')), undefined);
  assert.equal(previousAttemptLog(path.join(container, '3.log')), undefined);
  assert.equal(previousAttemptLog(path.join(container, 'web.log')), undefined);
});

test('a FIFO (a task stdout without a log file) is refused at once, not waited on', async () => {
  const fifo = path.join(dir, 'stdout.fifo');
  execFileSync('mkfifo', [fifo]);
  const e = await new Promise<unknown>((resolve) => {
    followLog(fifo, {format: 'plain', tail: 10, follow: false, onLines: () => resolve('lines'), onError: resolve});
  });
  assert.ok(e instanceof UndockError);
  assert.equal(e.message, `${fifo} is not a regular file`);
});
