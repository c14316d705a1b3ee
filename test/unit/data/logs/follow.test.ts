import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import {followLog} from '../../../../source/data/logs/follow.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The timers and file watchers this process holds (what keeps it alive). */
const resources = () => process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap' && r !== 'PipeWrap').sort();

test('a follower stopped before its first read ends reads nothing more and holds no timer or watcher', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'undock-follow-'));
  const file = path.join(dir, 'x.log');
  fs.writeFileSync(file, 'one\n');
  const got: string[] = [];
  try {
    await sleep(20);
    const before = resources();
    const f = followLog(file, {format: 'plain', tail: 10, follow: true, pollMs: 20, onLines: (ls) => got.push(...ls.map((l) => l.text)), onError: () => {}});
    f.stop();
    await sleep(50);
    fs.appendFileSync(file, 'two\n');
    await sleep(200);
    assert.ok(!got.includes('two'), `nothing read after stop (got ${JSON.stringify(got)})`);
    assert.deepEqual(resources(), before, 'no timer or watcher is left running');
    // And the same file, followed and not stopped, does deliver the new line: the test can see the difference.
    const seen: string[] = [];
    const g = followLog(file, {format: 'plain', tail: 10, follow: true, pollMs: 20, onLines: (ls) => seen.push(...ls.map((l) => l.text)), onError: () => {}});
    await sleep(100);
    fs.appendFileSync(file, 'three\n');
    for (let i = 0; i < 50 && !seen.includes('three'); i++) await sleep(20);
    g.stop();
    assert.ok(seen.includes('three'), `a running follower reads new lines (got ${JSON.stringify(seen)})`);
  } finally {
    fs.rmSync(dir, {recursive: true, force: true});
  }
});
