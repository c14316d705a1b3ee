// Frames are written incrementally (only the lines that changed): after moves and resizes the
// terminal must show what a fresh start at that size shows, with nothing left over from before.
import assert from 'node:assert/strict';
import {after, test} from 'node:test';
import {sleep, type PtySession} from '../helpers/pty.js';
import {startUndock, stopAll} from '../helpers/undock.js';

after(stopAll);

/** The key tree (nothing on it changes by itself) once loaded, then settled. */
async function settled(s: PtySession): Promise<string> {
  await s.waitFor((t) => /^ [▸▾] \/ /m.test(t) && !/etcd keys[^\n]* loading/.test(t), 15_000);
  await sleep(700);
  return s.screen().join('\n');
}

test('after moves and resizes the screen is what a fresh start at the last size shows', async () => {
  for (const sizes of [
    [[120, 30], [100, 20]],
    [[100, 20], [120, 36], [90, 25]],
  ] as Array<Array<[number, number]>>) {
    const [cols, rows] = sizes[0]!;
    const s = startUndock(['--view', 'keys'], {cols, rows});
    await settled(s);
    // Down into the tree and back up: lines change, then change back.
    await s.press('enter', 'j', 'j', 'k', 'k');
    for (const [c, r] of sizes.slice(1)) {
      s.resize(c, r);
      await sleep(400);
    }
    const [c, r] = sizes[sizes.length - 1]!;
    const fresh = startUndock(['--view', 'keys'], {cols: c, rows: r});
    await settled(fresh);
    await fresh.press('enter', 'j', 'j', 'k', 'k');
    await sleep(700);
    assert.equal(s.screen().join('\n'), fresh.screen().join('\n'), `sizes ${JSON.stringify(sizes)}`);
    s.kill();
    fresh.kill();
  }
});
