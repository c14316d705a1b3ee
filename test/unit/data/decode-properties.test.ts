import assert from 'node:assert/strict';
import {test} from 'node:test';
import fc from 'fast-check';
import {describeValue, K8S_MAGIC} from '../../../source/data/values/decode.js';
import {decodeFields, readRawFieldsPrefix} from '../../../source/data/values/protobuf.js';
import {hasUnsafe} from '../../../source/data/text/sanitize.js';
import {fieldLines, valueLines} from '../../../source/ui/value-lines.js';
import {toJsonLines, toYamlLines, type Line} from '../../../source/ui/yaml.js';
import {valueForDescribe} from '../../../source/views/keys/actions.js';

// Whatever bytes a key holds, the decoder answers quickly, and every string a view draws from its
// answer (the preview's lines, the describe view's YAML and JSON) is free of terminal controls.

const C0_C1 = /[\x00-\x1f\x7f-\x9f]/;

function assertDrawable(lines: Line[], what: string): void {
  for (const line of lines) {
    for (const seg of line) {
      assert.doesNotMatch(seg.text, C0_C1, `${what}: ${JSON.stringify(seg.text)}`);
      assert.equal(hasUnsafe(seg.text), false, `${what}: ${JSON.stringify(seg.text)}`);
    }
  }
}

/** Every view of a value: the preview, and describe as YAML and as JSON; each call timed. */
function viewsOf(value: Buffer): void {
  const t0 = performance.now();
  const d = describeValue(value, {maxTextBytes: 4096, maxHexBytes: 512});
  assertDrawable(valueLines(d), `preview of ${d.kind}`);
  const described = {value: valueForDescribe(value)};
  assertDrawable(toYamlLines(described), `describe YAML of ${d.kind}`);
  assertDrawable(toJsonLines(described), `describe JSON of ${d.kind}`);
  const ms = performance.now() - t0;
  assert.ok(ms < 2_000, `decoding ${value.length} bytes took ${ms.toFixed(0)} ms`);
}

const hostileBytes = fc.constantFrom(
  ...['\x1b]0;PWNED\x07', '\x1b]52;c;aGVsbG8=\x07', '\x1b[31m', 'x\b\b\b\bweb', '\r', '\0', '\n', '\u202e', '\u200b', '\u009b', '{"a":"', '"}', 'k: v\n', '- x\n', '---\n'].map((s) =>
    Buffer.from(s),
  ),
  Buffer.from([0xff, 0xfe]),
  Buffer.from([0xc0]),
);

/** Bytes with hostile pieces mixed in, so the text, JSON and YAML paths are taken, not only binary. */
const mixedBytes = fc
  .array(fc.oneof(hostileBytes, fc.uint8Array({maxLength: 12}).map((u) => Buffer.from(u)), fc.string({maxLength: 12}).map((s) => Buffer.from(s))), {maxLength: 20})
  .map((chunks) => Buffer.concat(chunks));

/** A protobuf field on the wire. */
function varint(n: number): Buffer {
  const out: number[] = [];
  do {
    out.push((n & 0x7f) | (n >= 0x80 ? 0x80 : 0));
    n = Math.floor(n / 128);
  } while (n > 0);
  return Buffer.from(out);
}
const ld = (field: number, bytes: Buffer) => Buffer.concat([varint(field * 8 + 2), varint(bytes.length), bytes]);

/** Well-formed messages nested a few levels, their strings hostile: the decoder's deep paths. */
const message: fc.Arbitrary<Buffer> = fc.letrec<{msg: Buffer}>((tie) => ({
  msg: fc
    .array(
      fc.oneof(
        {depthSize: 'small', withCrossShrink: true},
        fc.tuple(fc.integer({min: 1, max: 20}), mixedBytes).map(([f, b]) => ld(f, b)),
        fc.tuple(fc.integer({min: 1, max: 20}), fc.integer({min: 0, max: 2 ** 31})).map(([f, v]) => Buffer.concat([varint(f * 8), varint(v)])),
        fc.tuple(fc.integer({min: 1, max: 20}), tie('msg')).map(([f, b]) => ld(f, b)),
      ),
      {maxLength: 6},
    )
    .map((fields) => Buffer.concat(fields)),
})).msg;

/** A k8s\0 envelope: TypeMeta with hostile apiVersion and kind, the object a message. */
const k8sValue = fc
  .tuple(mixedBytes, mixedBytes, message, fc.uint8Array({maxLength: 4}))
  .map(([apiVersion, kind, object, tail]) => Buffer.concat([K8S_MAGIC, ld(1, Buffer.concat([ld(1, apiVersion), ld(2, kind)])), ld(2, object), Buffer.from(tail)]));

test('property: describeValue never throws or hangs, and what the views draw of it holds no control', () => {
  fc.assert(fc.property(fc.uint8Array({maxLength: 600}), (u) => viewsOf(Buffer.from(u))), {numRuns: 1_000});
  fc.assert(fc.property(mixedBytes, viewsOf), {numRuns: 1_000});
  fc.assert(fc.property(k8sValue, viewsOf), {numRuns: 500});
});

test('property: the protobuf decoder reads any bytes without throwing, and its lines are drawable', () => {
  fc.assert(
    fc.property(fc.oneof(fc.uint8Array({maxLength: 300}).map((u) => Buffer.from(u)), message), (buf) => {
      const {end} = readRawFieldsPrefix(buf);
      assert.ok(end >= 0 && end <= buf.length);
      const fields = decodeFields(buf);
      if (fields) assertDrawable(fieldLines(fields), 'fields');
    }),
    {numRuns: 2_000},
  );
  // A well-formed message always decodes (its strings may be anything).
  fc.assert(fc.property(message, (buf) => assert.ok(decodeFields(buf), buf.toString('hex'))), {numRuns: 500});
});

test('hostile k8s strings are shown escaped in the preview', () => {
  const value = Buffer.concat([K8S_MAGIC, ld(1, Buffer.concat([ld(1, Buffer.from('v1\x1b]0;PWNED\x07')), ld(2, Buffer.from('Pod\u202e'))])), ld(2, ld(1, ld(1, Buffer.from('name\u200b'))))]);
  const text = valueLines(describeValue(value)).map((l) => l.map((s) => s.text).join('')).join('\n');
  assert.match(text, /apiVersion: v1\\e\]0;PWNED\\x07/);
  assert.match(text, /kind: Pod\\u\{202e\}/);
  // an unknown kind: its ObjectMeta (field 1) is decoded by name
  assert.match(text, /  name: "name\\u\{200b\}"/);
});
