/**
 * scripts/build/to-esm-cache.ts: esbuild's __toESM shared per module in a real esbuild bundle,
 * minified and not. Every importer of a CommonJS module gets the same namespace, with the same
 * default and named exports as without the patch; a module that gained an export is copied again.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import {createRequire} from 'node:module';
import os from 'node:os';
import path from 'node:path';
import {after, test} from 'node:test';
import * as esbuild from 'esbuild';
import {shareToEsm} from '../../../scripts/build/to-esm-cache.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'undock-toesm-'));
after(() => fs.rmSync(dir, {recursive: true, force: true}));
const files: Record<string, string> = {
  'lib.cjs': 'exports.one = 1; exports.later = () => { exports.two = 2; };',
  'esm-like.cjs': 'Object.defineProperty(exports, "__esModule", {value: true}); exports.default = "d"; exports.x = "x";',
  'a.mjs': 'import lib from "./lib.cjs"; import * as ns from "./lib.cjs"; import fs from "node:fs"; import e from "./esm-like.cjs"; export const a = {lib, ns, fs, e};',
  'b.mjs': 'import lib from "./lib.cjs"; import * as ns from "./lib.cjs"; import fs from "node:fs"; import e from "./esm-like.cjs"; export const b = {lib, ns, fs, e};',
  'c.mjs': 'import * as ns from "./lib.cjs"; export const c = {ns};',
  'd.js': 'import e from "./esm-like.cjs"; export const d = e;',
  'entry.mjs': 'import {a} from "./a.mjs"; import {b} from "./b.mjs"; import {d} from "./d.js"; export {a, b, d}; export async function late() { a.lib.later(); return (await import("./c.mjs")).c; }',
};
for (const [f, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, f), text);

async function load(minify: boolean, patched: boolean) {
  const r = await esbuild.build({entryPoints: [path.join(dir, 'entry.mjs')], bundle: true, format: 'cjs', platform: 'node', write: false, minify, logLevel: 'silent'});
  let text = r.outputFiles[0]!.text;
  if (patched) text = shareToEsm(text, 'test bundle');
  const out = path.join(dir, `out-${minify}-${patched}.cjs`);
  fs.writeFileSync(out, text);
  return {text, mod: createRequire(import.meta.url)(out) as {a: any; b: any; d: unknown; late: () => Promise<any>}};
}

for (const minify of [true, false]) {
  test(`${minify ? 'minified' : 'readable'}: one namespace per module, the same exports as esbuild's own`, async () => {
    const plain = await load(minify, false);
    const {text, mod} = await load(minify, true);
    assert.match(text, /__undockSharedToESM\(/, 'the helper is wrapped');
    const {a, b} = mod;
    assert.notEqual(plain.mod.a.ns, plain.mod.b.ns, 'without the patch each importer has its own copy');
    assert.equal(a.ns, b.ns, 'one namespace for lib.cjs');
    assert.equal(a.lib, b.lib);
    assert.equal(a.fs, fs, 'the default of a builtin is the builtin');
    // Node's rule in .mjs (the default is module.exports), Babel's in .js (exports.default): both kept apart.
    assert.deepEqual(a.e, plain.mod.a.e);
    assert.equal(a.e.x, 'x');
    assert.equal(mod.d, 'd');
    assert.equal(mod.d, plain.mod.d);
    assert.deepEqual(Object.keys(a.ns).sort(), Object.keys(plain.mod.a.ns).sort());
    assert.equal(a.ns.one, 1);
    const c = await mod.late();
    assert.equal(c.ns.two, 2, 'an export added later is in the next namespace made');
    assert.notEqual(c.ns, a.ns);
  });
}

test('the build fails when esbuild prints __toESM otherwise', () => {
  assert.throws(() => shareToEsm('var x = 1;', 'f.cjs'), /__toESM was not found/);
});
