import assert from 'node:assert/strict';
import {test} from 'node:test';
import fc from 'fast-check';
import stringWidth from 'string-width';
import {
  decodeBytes,
  encodeBytes,
  hasUnsafe,
  joinParts,
  safeBytesText,
  safeText,
  sanitize,
  sanitizeBytes,
  sliceParts,
} from '../../../source/data/text/sanitize.js';
import {fit, fitParts} from '../../../source/resources/fit.js';

/** What must never be left in screen text: C0, DEL, C1, bidi controls, zero-width and other format characters, lone surrogates. */
const FORBIDDEN = /[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u2028\u2029\ud800-\udfff]/u;

test('each kind of hostile character shows as a visible escape', () => {
  const cases: Array<[string, string]> = [
    ['plain text', 'plain text'],
    ['\x1b]0;PWNED\x07', '\\e]0;PWNED\\x07'],
    ['\x1b]52;c;aGVsbG8=\x07', '\\e]52;c;aGVsbG8=\\x07'],
    ['\x1b]8;;http://x.example/\x1b\\link\x1b]8;;\x1b\\', '\\e]8;;http://x.example/\\e\\link\\e]8;;\\e\\'],
    ['\x1b[31mred', '\\e[31mred'],
    ['x\b\b\b\bweb', 'x\\b\\b\\b\\bweb'],
    ['a\rb\nc\td\0e', 'a\\rb\\nc\\td\\0e'],
    ['\x01\x1f\x7f', '\\x01\\x1f\\x7f'],
    ['\x0b\x0c', '\\x0b\\x0c'],
    // C1 shows as its UTF-8 bytes: never the same as one invalid byte (\x9b below).
    ['\u009b2J\u0085', '\\xc2\\x9b2J\\xc2\\x85'],
    ['rtl-\u202egnp.exe', 'rtl-\\u{202e}gnp.exe'],
    ['\u2066\u2067\u2068\u2069\u200e\u200f\u061c', '\\u{2066}\\u{2067}\\u{2068}\\u{2069}\\u{200e}\\u{200f}\\u{61c}'],
    ['zw\u200bweb\u200c\u200d\ufeff', 'zw\\u{200b}web\\u{200c}\\u{200d}\\u{feff}'],
    ['line\u2028sep', 'line\\u{2028}sep'],
    ['blank\u3164name', 'blank\\u{3164}name'],
    ['lone \ud800 high', 'lone \\u{d800} high'],
    ['名前-ключ-😀-é', '名前-ключ-😀-é'],
    ['e\u0301 combining stays', 'e\u0301 combining stays'],
  ];
  for (const [input, shown] of cases) {
    assert.equal(safeText(input), shown, JSON.stringify(input));
    assert.equal(hasUnsafe(input), input !== shown, JSON.stringify(input));
  }
});

test('escapes come as their own parts (to be dimmed), runs of them as one part', () => {
  assert.deepEqual(sanitize('ab\x1b[31mcd\x1b\x07'), [
    {text: 'ab'},
    {text: '\\e', escape: true},
    {text: '[31mcd'},
    {text: '\\e\\x07', escape: true},
  ]);
  assert.deepEqual(sanitize('safe'), [{text: 'safe'}]);
  assert.deepEqual(sanitize(''), []);
});

test('bytes are decoded here: each invalid UTF-8 byte shows as \\xNN, valid characters as themselves', () => {
  const cases: Array<[number[], string]> = [
    [[0x61, 0xff, 0xfe, 0x62], 'a\\xff\\xfeb'],
    [[0xe2, 0x82, 0x41], '\\xe2\\x82A'], // a sequence cut short
    [[0xed, 0xa0, 0x80], '\\xed\\xa0\\x80'], // an encoded surrogate
    [[0xc0, 0xaf], '\\xc0\\xaf'], // overlong
    [[0xf4, 0x90, 0x80, 0x80], '\\xf4\\x90\\x80\\x80'], // above U+10FFFF
    [[0xc2, 0x9b], '\\xc2\\x9b'], // a valid C1 control: its bytes
    [[0xe5, 0x90, 0x8d, 0xf0, 0x9f, 0x98, 0x80], '名😀'],
    [[0x1b, 0x5d, 0x30, 0x3b, 0x07], '\\e]0;\\x07'],
  ];
  for (const [bytes, shown] of cases) assert.equal(safeBytesText(Buffer.from(bytes)), shown, Buffer.from(bytes).toString('hex'));
  assert.deepEqual(sanitizeBytes(Buffer.from([0x61, 0xff])), [{text: 'a'}, {text: '\\xff', escape: true}]);
});

test('sliceParts cuts across parts and keeps which are escapes', () => {
  const parts = sanitize('ab\x1bcd');
  assert.deepEqual(sliceParts(parts, 1, 3), [{text: 'b'}, {text: '\\', escape: true}]);
  assert.deepEqual(sliceParts(parts, 0), parts);
  assert.equal(joinParts(sliceParts(parts, 2, 5)), '\\ec');
});

/** Any code point, a lone surrogate now and then, and the characters this is about, often. */
const hostileChar = fc.oneof(
  fc.integer({min: 0, max: 0x10ffff}).map((cp) => String.fromCodePoint(cp)),
  fc.integer({min: 0, max: 0xffff}).map((u) => String.fromCharCode(u)),
  fc.constantFrom('\x1b', '\x07', '\b', '\r', '\n', '\t', '\0', '\x7f', '\u009b', '\u202e', '\u200b', '\ufeff', '\\', 'e', '[', ']', ';', '名', '😀', '\u0301'),
);
const hostileString = fc.array(hostileChar, {maxLength: 40}).map((cs) => cs.join(''));

test('property: sanitised text never holds a character the terminal acts on or hides', () => {
  fc.assert(
    fc.property(hostileString, (s) => {
      const out = safeText(s);
      assert.doesNotMatch(out, FORBIDDEN);
      assert.equal(hasUnsafe(out), false);
      assert.equal(joinParts(sanitize(s)), out, 'parts and string forms agree');
      assert.equal(safeText(out), out, 'sanitising twice changes nothing');
      // What was safe is kept, in order: dropping the escape parts leaves the input without its unsafe characters.
      const kept = sanitize(s).filter((p) => !p.escape).map((p) => p.text).join('');
      assert.equal(kept, [...s].filter((c) => !hasUnsafe(c)).join(''));
    }),
    {numRuns: 2_000},
  );
});

/** Reads a sanitised string back into the bytes it stands for: proves two byte strings never look alike. */
function unescapeToBytes(shown: string): Buffer {
  const out: Buffer[] = [];
  const named: Record<string, number> = {'0': 0, b: 8, t: 9, n: 10, r: 13, e: 0x1b};
  for (let i = 0; i < shown.length; ) {
    if (shown[i] === '\\') {
      const c = shown[i + 1]!;
      if (c in named) {
        out.push(Buffer.from([named[c]!]));
        i += 2;
      } else if (c === 'x') {
        out.push(Buffer.from([parseInt(shown.slice(i + 2, i + 4), 16)]));
        i += 4;
      } else {
        const end = shown.indexOf('}', i);
        out.push(Buffer.from(String.fromCodePoint(parseInt(shown.slice(i + 3, end), 16)), 'utf8'));
        i = end + 1;
      }
      continue;
    }
    const cp = shown.codePointAt(i)!;
    out.push(Buffer.from(String.fromCodePoint(cp), 'utf8'));
    i += cp > 0xffff ? 2 : 1;
  }
  return Buffer.concat(out);
}

test('property: bytes without a backslash read back exactly from what is shown (no two look alike)', () => {
  const bytes = fc.uint8Array({maxLength: 48}).map((b) => Buffer.from(b.filter((x) => x !== 0x5c)));
  fc.assert(
    fc.property(bytes, (b) => {
      const shown = safeBytesText(b);
      assert.doesNotMatch(shown, FORBIDDEN);
      assert.deepEqual(unescapeToBytes(shown), b);
    }),
    {numRuns: 3_000},
  );
});

test('property: decodeBytes keeps every byte (encodeBytes gives them back) and is plain UTF-8 when valid', () => {
  fc.assert(
    fc.property(fc.uint8Array({maxLength: 64}), (u) => {
      const b = Buffer.from(u);
      assert.deepEqual(encodeBytes(decodeBytes(b)), b);
    }),
    {numRuns: 3_000},
  );
  fc.assert(
    fc.property(fc.string({unit: 'binary', maxLength: 30}), (s) => {
      assert.equal(decodeBytes(Buffer.from(s, 'utf8')), s);
    }),
  );
});

test('property: fitted sanitised text is exactly as wide as its column, parts or not', () => {
  fc.assert(
    fc.property(hostileString, fc.integer({min: 1, max: 30}), fc.constantFrom('left' as const, 'right' as const), (s, width, align) => {
      const parts = sanitize(s);
      const text = fit(joinParts(parts), width, align);
      assert.equal(stringWidth(text), width, JSON.stringify(text));
      assert.equal(joinParts(fitParts(parts, width, align)), text);
    }),
    {numRuns: 2_000},
  );
});
