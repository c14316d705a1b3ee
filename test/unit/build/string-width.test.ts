import assert from 'node:assert/strict';
import {test} from 'node:test';
import stringWidth8 from 'string-width';
import {NARROW_CLASS} from '../../../source/data/text/narrow.js';

// wrap-ansi's own string-width (v7), which Ink wraps text with: the other copy the build patches.
const stringWidth7 = ((await import(new URL('../../../node_modules/wrap-ansi/node_modules/string-width/index.js', import.meta.url).href)) as {default: (s: string) => number}).default;

/** Every BMP character the class matches. */
const chars: string[] = [];
const one = new RegExp(`^[${NARROW_CLASS}]$`);
for (let cp = 0; cp <= 0xffff; cp++) if (one.test(String.fromCharCode(cp))) chars.push(String.fromCharCode(cp));

test('every character of the fast path is one column wide to both unpatched string-widths', () => {
  assert.ok(chars.length > 300, `the class holds ${chars.length} characters`);
  const wrong = chars.filter((c) => stringWidth8(c) !== 1 || stringWidth7(c) !== 1).map((c) => `U+${c.charCodeAt(0).toString(16).toUpperCase()}`);
  assert.deepEqual(wrong, []);
});

test('strings of those characters measure their length: no two of them join into one cluster', () => {
  // Each pair, and the strings undock draws most.
  const wrong: string[] = [];
  for (const a of chars) for (const b of ['a', ' ', '─', '…', '▸', '•', 'é', '│']) if (stringWidth8(a + b) !== 2 || stringWidth7(b + a) !== 2) wrong.push(a + b);
  assert.deepEqual(wrong, []);
  for (const s of ['╭──────╮', ' ▸ config/   12 keys', '│ web │ running │ 3m │', 'nginx… ↑ 5 ✗ ⟳ ●']) {
    assert.equal(stringWidth8(s), s.length, s);
    assert.equal(stringWidth7(s), s.length, s);
  }
});

/** A string-width as the build bundles it (the plugin applied), loaded from memory. */
async function patched(entry: string): Promise<(s: string, o?: {ambiguousIsNarrow?: boolean}) => number> {
  const esbuild = await import('esbuild');
  const {stringWidthPlugin} = await import('../../../scripts/build/string-width.js');
  const out = await esbuild.build({entryPoints: [entry], bundle: true, format: 'esm', platform: 'node', write: false, plugins: [stringWidthPlugin], logLevel: 'silent'});
  const code = out.outputFiles[0].text;
  return ((await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)) as {default: (s: string) => number}).default;
}

test('the patched string-widths measure what the packages do, fast path or not', async () => {
  const samples = ['', 'web', ' ▸ config/ 12 keys', '╭─╮ │x│', 'naïve café', 'e\u0301', '日本語', '👍🏽 ok', '👨‍👩‍👧', '\x1b[7m web \x1b[27m', '©®', 'a\u200bb', '1\u20e3', '─\u0301', '⚠️', 'ｶﾞ', '\u00ad', '±½ ← →'];
  for (const [entry, original] of [
    ['node_modules/string-width/index.js', stringWidth8],
    ['node_modules/wrap-ansi/node_modules/string-width/index.js', stringWidth7],
  ] as const) {
    const width = await patched(new URL(`../../../${entry}`, import.meta.url).pathname);
    for (const s of samples) {
      assert.equal(width(s), original(s), `${entry}: ${JSON.stringify(s)}`);
      assert.equal(width(s, {ambiguousIsNarrow: false}), (original as (s: string, o: object) => number)(s, {ambiguousIsNarrow: false}), `${entry}, ambiguous wide: ${JSON.stringify(s)}`);
    }
  }
});
