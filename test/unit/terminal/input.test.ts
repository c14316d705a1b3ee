import assert from 'node:assert/strict';
import path from 'node:path';
import {test} from 'node:test';
import * as pty from 'node-pty';
import {repoRoot} from '../../helpers/pty.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Keys typed before the reader takes the terminal, then keys typed after: what does it get? */
async function typedBeforeAndAfter(mode: 'flush' | 'keep'): Promise<string> {
  const child = pty.spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'test/fixtures/input-flush.mjs'), mode], {cols: 80, rows: 10, cwd: repoRoot});
  let out = '';
  child.onData((d) => (out += d));
  const exited = new Promise<void>((r) => child.onExit(() => r()));
  try {
    while (!out.includes('WAITING')) await sleep(10);
    child.write('typed-for-the-editor');
    while (!out.includes('LISTENING')) await sleep(10);
    await sleep(50);
    child.write('for-undock');
    await exited;
    return /GOT "(.*)"/.exec(out)?.[1] ?? `(no answer: ${out})`;
  } finally {
    child.kill();
  }
}

test('taking the terminal back drops what was typed before (for the child), and keeps what comes after', async () => {
  // Without the flush the queued keys arrive: the test sees the difference the flush makes.
  assert.equal(await typedBeforeAndAfter('keep'), 'typed-for-the-editorfor-undock');
  assert.equal(await typedBeforeAndAfter('flush'), 'for-undock');
});
