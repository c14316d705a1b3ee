import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, test, type TestContext} from 'node:test';
import {followLog, type LogLine} from '../../../source/data/logs/follow.js';
import {CUT_MARK, MAX_LINE_BYTES} from '../../../source/data/logs/lines.js';

// Real files with a 50 MB line: lines are cut at MAX_LINE_BYTES as they are read, never held whole.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'undock-long-lines-'));
after(() => fs.rmSync(dir, {recursive: true, force: true}));
const MB50 = 50 * 1000 * 1000;
const T = '2024-05-06T07:08:09.123456789Z';

/** Writes `n` bytes of `ch` in 1 MiB pieces (never 50 MB in memory here either). */
function appendRun(fd: number, ch: string, n: number): void {
  const piece = Buffer.alloc(1024 * 1024, ch);
  for (let left = n; left > 0; left -= piece.length) fs.writeSync(fd, piece, 0, Math.min(left, piece.length));
}

/** A file read once: a tail comes in one call; the whole file (tail Infinity) in one call a chunk, so the calls are gathered. */
function read(file: string, format: 'plain' | 'cri', tail: number): Promise<{lines: LogLine[]; ms: number; heldMB: number}> {
  const before = process.memoryUsage();
  const t0 = performance.now();
  const lines: LogLine[] = [];
  let quiet: NodeJS.Timeout | undefined;
  return new Promise((resolve, reject) => {
    const done = (ms: number, heldMB: number) => resolve({lines, ms, heldMB});
    followLog(file, {
      format,
      tail,
      follow: false,
      onLines: (batch) => {
        const now = process.memoryUsage();
        const heldMB = (now.arrayBuffers - before.arrayBuffers + now.heapUsed - before.heapUsed) / 1e6;
        lines.push(...batch);
        const ms = performance.now() - t0;
        clearTimeout(quiet);
        if (Number.isFinite(tail)) done(ms, heldMB);
        else quiet = setTimeout(() => done(ms, heldMB), 300);
      },
      onError: reject,
    });
  });
}

function assertCut(line: LogLine | undefined, ch: string): void {
  assert.ok(line, 'a line');
  assert.ok(line.text.endsWith(CUT_MARK), 'a visible marker says the line was cut');
  assert.equal(line.text.length, MAX_LINE_BYTES + CUT_MARK.length);
  assert.ok(line.text.slice(0, MAX_LINE_BYTES) === ch.repeat(MAX_LINE_BYTES), `the line's first ${MAX_LINE_BYTES} bytes`);
}

test('a 50 MB one-line file opens fast and small: the line cut, with a marker', async (t: TestContext) => {
  const file = path.join(dir, 'one.log');
  const fd = fs.openSync(file, 'w');
  appendRun(fd, 'x', MB50);
  fs.writeSync(fd, '\n');
  fs.closeSync(fd);
  const rss = process.memoryUsage().rss;
  const {lines, ms, heldMB} = await read(file, 'plain', 200);
  const peakMB = (process.resourceUsage().maxRSS * 1024 - rss) / 1e6;
  t.diagnostic(`50 MB line, tail 200: ${ms.toFixed(0)} ms, peak RSS +${Math.max(0, peakMB).toFixed(0)} MB, held +${heldMB.toFixed(1)} MB`);
  assert.equal(lines.length, 1);
  assertCut(lines[0], 'x');
  assert.ok(ms < 1_000, `${ms.toFixed(0)} ms`);
  assert.ok(peakMB < 50, `peak RSS +${peakMB.toFixed(0)} MB`);
});

test('short lines around a 50 MB line stay whole; the tail counts the long one as one line', async () => {
  const file = path.join(dir, 'mixed.log');
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, 'before 1\nbefore 2\n');
  appendRun(fd, 'y', MB50);
  fs.writeSync(fd, '\nafter 1\nafter 2\nunfinished');
  fs.closeSync(fd);
  const {lines} = await read(file, 'plain', 4);
  assert.deepEqual(lines.map((l) => l.text.slice(0, 10)), ['yyyyyyyyyy', 'after 1', 'after 2', 'unfinished']);
  assertCut(lines[0], 'y');
  const all = await read(file, 'plain', Infinity);
  assert.deepEqual(all.lines.map((l) => l.text.slice(0, 8)), ['before 1', 'before 2', 'yyyyyyyy', 'after 1', 'after 2', 'unfinish']);
});

test('following: a 50 MB line written in pieces comes out once, cut, and the next line after it', async () => {
  const file = path.join(dir, 'grow.log');
  fs.writeFileSync(file, 'first\n');
  const got: LogLine[] = [];
  const follower = followLog(file, {format: 'plain', tail: 10, follow: true, pollMs: 50, onLines: (ls) => got.push(...ls), onError: (e) => assert.fail(String(e))});
  try {
    const fd = fs.openSync(file, 'a');
    for (let i = 0; i < 10; i++) {
      appendRun(fd, 'z', MB50 / 10);
      await new Promise((r) => setTimeout(r, 20));
    }
    fs.writeSync(fd, '\nnext\n');
    fs.closeSync(fd);
    const deadline = Date.now() + 5_000;
    while (!got.some((l) => l.text === 'next') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(got.map((l) => l.text.slice(0, 5)), ['first', 'zzzzz', 'next']);
    assertCut(got[1], 'z');
  } finally {
    follower.stop();
  }
});

test('CRI: 16 KiB chunks of a 50 MB line are joined up to the bound, the other stream unharmed', async () => {
  const file = path.join(dir, 'cri.log');
  const fd = fs.openSync(file, 'w');
  const chunk = `${T} stdout P ${'c'.repeat(16 * 1024)}\n`;
  const batch = chunk.repeat(64);
  for (let i = 0; i < Math.ceil(MB50 / batch.length); i++) {
    fs.writeSync(fd, batch);
    if (i === 10) fs.writeSync(fd, `${T} stderr F in between\n`);
  }
  fs.writeSync(fd, `${T} stdout F end\n${T} stdout F after\n`);
  fs.closeSync(fd);
  const {lines, ms} = await read(file, 'cri', 200);
  assert.ok(ms < 2_000, `${ms.toFixed(0)} ms`);
  const texts = lines.map((l) => `${l.stream} ${l.text.slice(0, 12)}`);
  assert.deepEqual(texts.slice(-2), ['stdout cccccccccccc', 'stdout after']);
  assertCut(lines.at(-2), 'c');
  const all = await read(file, 'cri', Infinity);
  assert.deepEqual(all.lines.map((l) => `${l.stream} ${l.text.slice(0, 12)}`), ['stderr in between', 'stdout cccccccccccc', 'stdout after']);
});

test('a follower stopped before its first read ends leaves no poll behind (a log view opened and left at once)', async () => {
  const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
  const before = timers();
  const follower = followLog(path.join(dir, 'missing.log'), {format: 'plain', tail: 10, follow: true, onLines: () => {}, onError: () => {}});
  follower.stop();
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(timers(), before);
});
