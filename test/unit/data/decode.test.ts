import assert from 'node:assert/strict';
import fs from 'node:fs';
import {test} from 'node:test';
import {describeValue, hexDump, looksLikeYaml, prettyJson} from '../../../source/data/values/decode.js';
import {scanJson} from '../../../source/data/values/json-text.js';
import {allStrings, stringField, type FieldNode} from '../../../source/data/values/protobuf.js';
import {needsShared, sharedFile} from '../../helpers/shared-testdata.js';

// The real kube-apiserver value and its JSON form, from ../shared (skipped, with the reason, without it).
const skipPod = needsShared('k8s/pod.storage.bin', 'k8s/pod.json');
const podBin = skipPod ? Buffer.alloc(0) : fs.readFileSync(sharedFile('k8s/pod.storage.bin'));
const podJson = skipPod ? undefined : JSON.parse(fs.readFileSync(sharedFile('k8s/pod.json'), 'utf8'));

const sub = (fields: FieldNode[], field: number): FieldNode[] => {
  const f = fields.find((x) => x.field === field && Array.isArray(x.value));
  assert.ok(f, `field ${field} is a nested message`);
  return f.value as FieldNode[];
};

test('a stored Pod: k8s envelope with apiVersion v1 and kind Pod, the object as a field tree', {skip: skipPod}, () => {
  const d = describeValue(podBin);
  assert.equal(d.kind, 'k8s');
  assert.equal(d.size, podBin.length);
  assert.equal(d.truncated, false);
  assert.equal(d.k8s?.apiVersion, podJson.apiVersion);
  assert.equal(d.k8s?.kind, podJson.kind);
  assert.equal(d.k8s?.raw, undefined, 'the object parsed as protobuf');
  assert.equal(d.k8s?.trailingBytes, 1, 'the test file ends in a newline after the envelope');
  const object = d.k8s!.object;
  // ObjectMeta is Pod field 1: name 1, generateName 2, namespace 3, uid 5
  const meta = sub(object, 1);
  assert.equal(stringField(meta, 1), podJson.metadata.name);
  assert.equal(stringField(meta, 1), 'pi-dqtsw');
  assert.equal(stringField(meta, 3), podJson.metadata.namespace);
  assert.equal(stringField(meta, 5), podJson.metadata.uid);
  // labels are map entries (field 11) of {1 key, 2 value}
  const labels = Object.fromEntries(
    meta.filter((f) => f.field === 11).map((f) => [stringField(f.value as FieldNode[], 1), stringField(f.value as FieldNode[], 2)]),
  );
  assert.deepEqual(labels, podJson.metadata.labels);
  // the container's image: PodSpec (2) > containers (2) > image (2)
  const container = sub(sub(object, 2), 2);
  assert.equal(stringField(container, 1), podJson.spec.containers[0].name);
  assert.equal(stringField(container, 2), podJson.spec.containers[0].image);
  // and every string a person would look for is somewhere in the tree
  const strings = allStrings(object);
  for (const s of [
    'pi-dqtsw',
    'default',
    podJson.spec.containers[0].image,
    podJson.metadata.labels['controller-uid'],
    podJson.metadata.labels['job-name'],
    podJson.spec.nodeName,
    podJson.status.podIP,
    podJson.status.phase,
  ]) {
    assert.ok(strings.includes(s), `${s} is shown`);
  }
});

test('JSON is pretty-printed without rounding big integers', () => {
  const raw = '{"kind":"Pod","resourceVersion":18446744073709551615,"list":[1,2,{}],"empty":[],"s":"a\\"b,c:{"}';
  const d = describeValue(Buffer.from(raw));
  assert.equal(d.kind, 'json');
  assert.equal(d.depth, 2);
  assert.equal(
    d.text,
    '{\n  "kind": "Pod",\n  "resourceVersion": 18446744073709551615,\n  "list": [\n    1,\n    2,\n    {}\n  ],\n  "empty": [],\n  "s": "a\\"b,c:{"\n}',
  );
  assert.deepEqual(JSON.parse(d.text!), JSON.parse(raw), 'the pretty text is the same JSON');
  assert.equal(prettyJson('[]'), '[]');
});

test('text that starts like JSON but is not stays text', () => {
  const d = describeValue(Buffer.from('{not json'));
  assert.equal(d.kind, 'text');
  assert.equal(d.text, '{not json');
  // JSON.parse is the reference: whatever it refuses is not JSON here either
  for (const t of ['[1,]', '{"a" 1}', '[01]', '[1.]', '["\\x"]', '["a\tb"]', '{"a":1}x', '[-]', '[1e]', '[tru]', '[[]', '{"a":1,}']) {
    assert.throws(() => JSON.parse(t), t);
    assert.notEqual(describeValue(Buffer.from(t)).kind, 'json', t);
  }
  for (const t of ['[1e+5,-0.5,0,"\\u00e9\\n",true,false,null]', ' {"a" : [ ] , "b":{}} ']) {
    JSON.parse(t);
    assert.equal(describeValue(Buffer.from(t)).kind, 'json', t);
  }
});

test('past the output budget the rest is still checked as strictly as JSON.parse does', () => {
  const bad = ['[1,]', '[{"a" 1}]', '[01]', '[1.]', '["\\x"]', '["a\tb"]', '[{"a":1}]x', '[-]', '[1e]', '[tru]', '[[]', '[{"a":1,}]', '[1 2]', '[{}{}]', '{"a":[}', '[-01]', '[1e+]'];
  const good = ['[1e+5,-0.5,0,-0,10,"\\u00e9\\n",true,false,null]', ' {"a" : [ ] , "b":{} , "c": [ {} , [] ]} ', '[0.5e-3, 123, -7, [[[]]]]'];
  for (const t of bad) {
    assert.throws(() => JSON.parse(t), t);
    assert.equal(scanJson(t, {maxChars: 1}).valid, false, t);
  }
  for (const t of good) {
    JSON.parse(t);
    const r = scanJson(t, {maxChars: 1});
    assert.equal(r.valid, true, t);
    assert.equal(r.truncated, true, t);
    assert.equal(r.depth, scanJson(t).depth, `${t}: the depth counts the unwritten part`);
  }
});

test('nesting deeper than 64 levels is written compactly: indentation stays bounded', () => {
  const deep = '['.repeat(100) + ']'.repeat(100);
  const d = describeValue(Buffer.from(deep));
  assert.equal(d.kind, 'json');
  assert.equal(d.depth, 99, 'the innermost [] is an empty array, not a level');
  const lines = d.text!.split('\n');
  assert.equal(lines[64], ' '.repeat(128) + '['.repeat(36) + ']'.repeat(35), 'levels past 64 on one line');
  assert.ok(Math.max(...lines.map((l) => l.length)) <= 200);
  assert.equal(lines.join('').replace(/\s/g, ''), deep, 'nothing lost');
});

test('YAML by shape; sentences and single lines are text', () => {
  const yaml = 'server:\n  port: 8080\n  readTimeout: 5s\nlogging:\n  level: info\n  format: json\n';
  assert.equal(describeValue(Buffer.from(yaml)).kind, 'yaml');
  assert.ok(looksLikeYaml('---\nfoo'));
  assert.ok(looksLikeYaml('items:\n  - a\n  - b\n# comment\nscript: |\n  echo hi; exit 1\n  done\n'));
  assert.ok(looksLikeYaml('"quoted key": 1\nother: [1, 2]\n'));
  assert.ok(!looksLikeYaml('key: value'), 'one line');
  assert.ok(!looksLikeYaml('Note: this is prose\nand it goes on\nfor a while'));
  assert.ok(!looksLikeYaml('http://example.com\nhttps://example.org'));
  assert.equal(describeValue(Buffer.from('world')).kind, 'text');
});

test('empty, text, and binary values', () => {
  assert.deepEqual(describeValue(Buffer.alloc(0)), {kind: 'empty', size: 0, truncated: false});
  const t = describeValue(Buffer.from('héllo\nworld'));
  assert.deepEqual(t, {kind: 'text', size: 12, text: 'héllo\nworld', truncated: false});
  const b = describeValue(Buffer.from([0x00, 0xff, 0xfe, 0x41, 0x42]));
  assert.equal(b.kind, 'binary');
  assert.equal(b.hex, '00000000  00 ff fe 41 42                                    |...AB|');
});

test('hexDump matches hexdump -C layout', () => {
  const buf = Buffer.from(Array.from({length: 20}, (_, i) => i + 0x3c));
  assert.equal(
    hexDump(buf),
    '00000000  3c 3d 3e 3f 40 41 42 43  44 45 46 47 48 49 4a 4b  |<=>?@ABCDEFGHIJK|\n' +
      '00000010  4c 4d 4e 4f                                       |LMNO|',
  );
});

test('large values: a prefix is shown, the size is the whole value', () => {
  const big = Buffer.alloc(100_000, 0x61);
  const d = describeValue(big, {maxTextBytes: 1000});
  assert.equal(d.kind, 'text');
  assert.equal(d.size, 100_000);
  assert.equal(d.text?.length, 1000);
  assert.equal(d.truncated, true);

  // cut on a character boundary: 'é' is 2 bytes
  const accents = Buffer.from('é'.repeat(600));
  const a = describeValue(accents, {maxTextBytes: 1001});
  assert.equal(a.text, 'é'.repeat(500));
  assert.equal(a.truncated, true);

  const bin = Buffer.alloc(10_000, 0x00);
  const h = describeValue(bin, {maxHexBytes: 64});
  assert.equal(h.kind, 'binary');
  assert.equal(h.hex?.split('\n').length, 4);
  assert.equal(h.truncated, true);
  assert.equal(h.size, 10_000);

  const json = Buffer.from(JSON.stringify({items: Array.from({length: 5000}, (_, i) => ({i}))}));
  const j = describeValue(json, {maxTextBytes: 2000});
  assert.equal(j.kind, 'json');
  assert.equal(j.truncated, true);
  assert.ok(Buffer.byteLength(j.text!) <= 2000);
});

test('a k8s magic with a broken envelope falls back to binary', () => {
  const d = describeValue(Buffer.from([0x6b, 0x38, 0x73, 0x00, 0xff, 0xff]));
  assert.equal(d.kind, 'binary');
});
