/**
 * The bundle's Ink Output (scripts/build/ink-output-plugin.ts) reuses the previous frame's work: each
 * frame of a sequence must be the text Ink's own Output gives for it.
 */
import assert from 'node:assert/strict';
import {test} from 'node:test';
import fc from 'fast-check';
import {inkOutputPlugin} from '../../../scripts/build/ink-output-plugin.js';
import {bundled} from './bundled.js';

type Write = {x: number; y: number; text: string; style?: (s: string) => string};
type Op = Write | {clip: {x1?: number; x2?: number; y1?: number; y2?: number}} | {unclip: true};
interface OutputLike {
  write(x: number, y: number, text: string, options: {transformers: Array<(s: string, i: number) => string>}): void;
  clip(c: object): void;
  unclip(): void;
  get(): {output: string; height: number};
}
type OutputClass = new (o: {width: number; height: number}) => OutputLike;

/** Ink's build/output.js bundled with or without the plugin. */
const outputClass = async (patched: boolean) => (await bundled('output.js', patched ? [inkOutputPlugin] : [])).default as OutputClass;

const styles = [(s: string) => s, (s: string) => `\x1b[7m\x1b[36m${s}\x1b[39m\x1b[27m`, (s: string) => `\x1b[1m${s}\x1b[22m`, (s: string) => `\x1b[2m${s}\x1b[22m`];

function draw(Output: OutputClass, ops: Op[]): string {
  const out = new Output({width: 24, height: 6});
  for (const op of ops) {
    if ('clip' in op) out.clip(op.clip);
    else if ('unclip' in op) out.unclip();
    else out.write(op.x, op.y, op.text, {transformers: op.style ? [op.style] : []});
  }
  return out.get().output;
}

const text = fc.array(fc.constantFrom('a', 'b', ' ', '…', '界', '🙂', 'é', '\n', 'x'), {maxLength: 14}).map((cs) => cs.join(''));
const write = fc.record({x: fc.nat(20), y: fc.nat(6), text, style: fc.option(fc.constantFrom(...styles), {nil: undefined})});
const op: fc.Arbitrary<Op> = fc.oneof(
  {weight: 6, arbitrary: write},
  {weight: 1, arbitrary: fc.record({clip: fc.record({x1: fc.nat(10), x2: fc.integer({min: 8, max: 24}), y1: fc.nat(3), y2: fc.integer({min: 2, max: 6})})})},
  {weight: 1, arbitrary: fc.constant({unclip: true as const})},
);
// Frames that repeat and vary a little, as a table's do when a key moves the selection.
const frames = fc.array(fc.array(op, {maxLength: 10}), {minLength: 1, maxLength: 4}).chain((base) =>
  fc.array(fc.tuple(fc.nat(base.length - 1), fc.option(write, {nil: undefined})), {minLength: 2, maxLength: 8}).map((picks) => picks.map(([i, extra]) => (extra ? [...base[i]!, extra] : base[i]!))),
);

test('every frame of a sequence is the text Ink itself draws for it', async () => {
  const [Ink, Bundled] = await Promise.all([outputClass(false), outputClass(true)]);
  fc.assert(
    fc.property(frames, (sequence) => {
      for (const ops of sequence) assert.equal(draw(Bundled, ops), draw(Ink, ops));
    }),
    {numRuns: 300},
  );
});

test('a table frame, then the selection one row down, then the rows scrolled by one', async () => {
  const [Ink, Bundled] = await Promise.all([outputClass(false), outputClass(true)]);
  const rows = (top: number, selected: number): Op[] =>
    Array.from({length: 6}, (_, y) => ({x: 0, y, text: ` row-${top + y} …tail`, style: top + y === selected ? styles[1] : undefined}));
  for (const [top, selected] of [[0, 0], [0, 1], [0, 1], [0, 5], [1, 6], [2, 7], [1, 1], [0, 0]] as const) {
    assert.equal(draw(Bundled, rows(top, selected)), draw(Ink, rows(top, selected)));
  }
});
