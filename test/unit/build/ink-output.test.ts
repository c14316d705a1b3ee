import assert from 'node:assert/strict';
import {test} from 'node:test';
import {Chalk} from 'chalk';

interface OutputLike {
  write(x: number, y: number, text: string, options: {transformers: Array<(s: string, i: number) => string>}): void;
  clip(clip: {x1?: number; x2?: number; y1?: number; y2?: number}): void;
  unclip(): void;
  get(): {output: string; height: number};
}
type OutputClass = new (o: {width: number; height: number}) => OutputLike;
const inkOutput = new URL('../../../node_modules/ink/build/output.js', import.meta.url);
// Ink's own, unpatched (ink does not export the module: loaded by its path).
const Output = ((await import(inkOutput.href)) as {default: OutputClass}).default;

/** Ink's Output as the build bundles it (scripts/build/ink-output.ts applied), loaded from memory. */
async function patched(): Promise<OutputClass> {
  const esbuild = await import('esbuild');
  const {inkOutputPlugin} = await import('../../../scripts/build/ink-output.js');
  const entry = inkOutput.pathname;
  const out = await esbuild.build({entryPoints: [entry], bundle: true, format: 'esm', platform: 'node', write: false, plugins: [inkOutputPlugin], logLevel: 'silent'});
  return ((await import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0]!.text).toString('base64')}`)) as {default: OutputClass}).default;
}

const c = new Chalk({level: 1});
/** Frames as a key tree draws them: rows that stay, a selection that moves, counts that change, wide characters, a clip. */
const frames: Array<Array<[x: number, y: number, text: string]>> = [
  [[0, 0, ' etcd keys [3]'], [1, 1, c.blue('▸ /   3 keys')], [1, 2, c.inverse.cyan('  a      2 B')], [1, 3, '  b      日本']],
  [[0, 0, ' etcd keys [3]'], [1, 1, c.blue('▸ /   3 keys')], [1, 2, '  a      2 B'], [1, 3, c.inverse.cyan('  b      日本')]],
  [[0, 0, ' etcd keys [4]'], [1, 1, c.blue('▸ /   4 keys')], [1, 2, '  a      2 B'], [1, 3, c.inverse.cyan('  b      日本')]],
  [[0, 0, ' etcd keys [4]'], [1, 1, c.blue('▸ /   4 keys')], [1, 2, '  a      2 B'], [1, 3, c.inverse.cyan('  b      日本')]],
  [[0, 0, ' etcd keys [4]'], [3, 1, c.yellow('▸ /   4 keys')], [1, 3, '  b      日本 \x1b[2m\\e\x1b[22m']],
];

function draw(O: OutputClass, frame: (typeof frames)[number], clip: boolean): string {
  const o = new O({width: 20, height: 5});
  if (clip) o.clip({x1: 2, x2: 12, y1: 0, y2: 4});
  for (const [x, y, text] of frame) o.write(x, y, text, {transformers: []});
  if (clip) o.unclip();
  return o.get().output;
}

test("the patched Output draws every frame as Ink's own does, frame after frame", async () => {
  const Patched = await patched();
  for (const clip of [false, true]) {
    for (const frame of [...frames, ...frames.slice().reverse()]) assert.equal(draw(Patched, frame, clip), draw(Output, frame, clip), JSON.stringify({clip, frame}));
  }
});
