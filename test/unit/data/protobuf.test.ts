import assert from 'node:assert/strict';
import {test} from 'node:test';
import protobuf from 'protobufjs';
import {allStrings, decodeFields, isPrintableText, readRawFields, readRawFieldsPrefix, type FieldNode} from '../../../source/data/values/protobuf.js';

const bytes = (...b: number[]) => Buffer.from(b);
const message = (build: (w: protobuf.Writer) => protobuf.Writer) => Buffer.from(build(protobuf.Writer.create()).finish());

test('varints: small as numbers, past 2^53 as bigint, negative int64 as its uint64 bits', () => {
  assert.deepEqual(decodeFields(bytes(0x08, 0x96, 0x01)), [{field: 1, wireType: 0, value: 150}]);
  const big = message((w) => w.uint32(16).uint64('18446744073709551615'));
  assert.deepEqual(decodeFields(big), [{field: 2, wireType: 0, value: 18446744073709551615n}]);
  const neg = message((w) => w.uint32(24).int64(-1));
  assert.deepEqual(decodeFields(neg), [{field: 3, wireType: 0, value: 2n ** 64n - 1n}]);
  const safe = message((w) => w.uint32(8).uint64(Number.MAX_SAFE_INTEGER));
  assert.deepEqual(decodeFields(safe), [{field: 1, wireType: 0, value: Number.MAX_SAFE_INTEGER}]);
});

test('fixed32 and fixed64 fields', () => {
  const m = message((w) => w.uint32((4 << 3) | 5).fixed32(0xdeadbeef).uint32((5 << 3) | 1).fixed64('81985529216486895'));
  assert.deepEqual(decodeFields(m), [
    {field: 4, wireType: 5, value: 0xdeadbeef},
    {field: 5, wireType: 1, value: 81985529216486895n},
  ]);
});

test('length-delimited: printable UTF-8 is a string, bytes that parse are a message, the rest stays bytes', () => {
  const inner = message((w) => w.uint32(8).uint32(7).uint32(18).string('näme'));
  const m = message((w) =>
    w.uint32(10).string('pi-dqtsw').uint32(18).bytes(inner).uint32(26).bytes(bytes(0x00, 0xff, 0xfe)).uint32(34).string(''),
  );
  const fields = decodeFields(m)!;
  assert.equal(fields[0].value, 'pi-dqtsw');
  assert.deepEqual(fields[1].value, [
    {field: 1, wireType: 0, value: 7},
    {field: 2, wireType: 2, value: 'näme'},
  ]);
  assert.ok(Buffer.isBuffer(fields[2].value));
  assert.deepEqual(fields[2].value, bytes(0x00, 0xff, 0xfe));
  assert.equal(fields[3].value, '', 'an empty field is shown as an empty string');
});

test('short text that also parses as fields stays text ("hi" is field 13 = 0x69 on the wire)', () => {
  assert.ok(readRawFields(Buffer.from('hi')), 'it does parse as a message');
  const m = message((w) => w.uint32(10).string('hi'));
  assert.deepEqual(decodeFields(m), [{field: 1, wireType: 2, value: 'hi'}]);
});

test('depth limits nesting: past it, a nested message is left as bytes', () => {
  const leaf = message((w) => w.uint32(8).uint32(1));
  const mid = message((w) => w.uint32(10).bytes(leaf));
  const top = message((w) => w.uint32(10).bytes(mid));
  const deep = decodeFields(top, 8)!;
  assert.deepEqual(deep, [{field: 1, wireType: 2, value: [{field: 1, wireType: 2, value: [{field: 1, wireType: 0, value: 1}]}]}]);
  const shallow = decodeFields(top, 1)!;
  assert.ok(Buffer.isBuffer(shallow[0].value), 'depth 1: the top level only');
});

test('not a message: groups, field 0, a length past the end, a cut varint', () => {
  assert.equal(decodeFields(bytes(0x0b, 0x0c)), undefined, 'wire type 3 (start group)');
  assert.equal(decodeFields(bytes(0x00, 0x01)), undefined, 'field 0');
  assert.equal(decodeFields(bytes(0x0a, 0x05, 0x61)), undefined, 'length 5 with 1 byte left');
  assert.equal(decodeFields(bytes(0x08, 0x96)), undefined, 'varint cut off');
  assert.equal(decodeFields(bytes(0x0e)), undefined, 'wire type 6');
  assert.deepEqual(decodeFields(Buffer.alloc(0)), [], 'an empty buffer is an empty message');
});

test('readRawFieldsPrefix keeps the whole fields before trailing junk and says where it stopped', () => {
  const {fields, end} = readRawFieldsPrefix(bytes(0x08, 0x01, 0x12, 0x01, 0x41, 0x0a));
  assert.equal(end, 5);
  assert.deepEqual(fields.map((f) => f.field), [1, 2]);
  assert.equal(readRawFields(bytes(0x08, 0x01, 0x0a)), undefined);
});

test('isPrintableText: tabs and newlines yes; NUL, DEL, C1 controls and invalid UTF-8 no', () => {
  assert.ok(isPrintableText(Buffer.from('a\tb\r\nc ünïcode ✓')));
  assert.ok(!isPrintableText(bytes(0x61, 0x00)));
  assert.ok(!isPrintableText(bytes(0x61, 0x7f)));
  assert.ok(!isPrintableText(Buffer.from('a\u0085b')));
  assert.ok(!isPrintableText(bytes(0xc3, 0x28)));
});

test('allStrings walks the whole tree', () => {
  const tree: FieldNode[] = [
    {field: 1, wireType: 2, value: 'a'},
    {field: 2, wireType: 2, value: [{field: 1, wireType: 2, value: 'b'}, {field: 2, wireType: 0, value: 3}]},
  ];
  assert.deepEqual(allStrings(tree), ['a', 'b']);
});
