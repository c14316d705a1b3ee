/**
 * Incremental rendering as bundled (scripts/build/ink-output-plugin.ts): writing only the lines that
 * changed must leave the terminal showing what Ink's standard renderer (every line rewritten) shows.
 */
import assert from 'node:assert/strict';
import {test} from 'node:test';
import xterm from '@xterm/headless';
import fc from 'fast-check';
import {inkIncrementalPlugin} from '../../../scripts/build/ink-output-plugin.js';
import {bundled} from './bundled.js';

type Log = ((s: string) => void) & {clear(): void};
type Create = (stream: {write(s: string): boolean}, o: {incremental?: boolean}) => Log;
const ROWS = 8;

/** A headless terminal of ROWS lines fed through a log-update, as a tty does (\n written as \r\n). */
function screen(create: Create, incremental: boolean) {
  const term = new xterm.Terminal({cols: 20, rows: ROWS, allowProposedApi: true});
  const log = create({write: (s) => (term.write(s.replace(/\n/g, '\r\n')), true)}, {incremental});
  const text = () =>
    new Promise<string>((resolve) =>
      term.write('', () => {
        const b = term.buffer.active;
        resolve(Array.from({length: ROWS}, (_, i) => b.getLine(b.viewportY + i)!.translateToString(true)).join('\n'));
      }),
    );
  return {log, text};
}

const create = async (plugins: typeof inkIncrementalPlugin[]) => ((await bundled('log-update.js', plugins)).default as {create: Create}).create;

// Frames shorter than the terminal end with a newline (Ink adds one); as tall as it, without.
const frame = fc
  .tuple(fc.integer({min: 1, max: ROWS}), fc.array(fc.constantFrom('row', 'sel', '', 'x y'), {minLength: ROWS, maxLength: ROWS}))
  .map(([height, lines]) => lines.slice(0, height).map((l, i) => `${l}${i}`).join('\n') + (height < ROWS ? '\n' : ''));

test('after each frame, the screen is the one the standard renderer leaves', async () => {
  const [standard, patched] = await Promise.all([create([]), create([inkIncrementalPlugin])]);
  await fc.assert(
    fc.asyncProperty(fc.array(frame, {minLength: 1, maxLength: 6}), async (frames) => {
      const a = screen(standard, false);
      const b = screen(patched, true);
      for (const f of frames) {
        a.log(f);
        b.log(f);
        assert.equal(await b.text(), await a.text());
      }
    }),
    {numRuns: 200},
  );
});

test("Ink's own incremental renderer draws a frame shorter than the terminal one line low (what the plugin fixes)", async () => {
  const unpatched = screen(await create([]), true);
  unpatched.log('a0\nb1\n');
  unpatched.log('a0\nB1\n');
  assert.equal((await unpatched.text()).split('\n').slice(0, 3).join('|'), 'a0|b1|B1', 'B1 one line low, b1 left above it');
});
