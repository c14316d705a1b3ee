import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import React from 'react';
import {render} from 'ink-testing-library';
import stringWidth from 'string-width';
import {errorLine, UndockError} from '../../../source/data/errors.js';
import {LineSplitter} from '../../../source/data/logs/lines.js';
import {containers} from '../../../source/resources/containers/index.js';
import type {ContainerRow} from '../../../source/resources/containers/source.js';
import {viewRows, visibleColumns} from '../../../source/resources/rows.js';
import {applyResult} from '../../../source/store/effects.js';
import {AppController} from '../../../source/store/app-store.js';
import {Table} from '../../../source/ui/table.js';
import {lineText, toJsonLines, toYamlLines} from '../../../source/ui/yaml.js';
import {valueLines} from '../../../source/ui/value-lines.js';
import {describeValue} from '../../../source/data/values/decode.js';
import {visibleRows} from '../../../source/views/logs/view.js';
import {displayKey, keyParts, toLatin1} from '../../../source/views/keys/tree-model.js';
import {registry} from '../../../source/views/registry.js';
import {fakeContext, renderApp} from '../../helpers/render-app.js';

// Where daemon text enters the view model, it is sanitised: what each entry point hands on.

const NAMES = ['\x1b]0;PWNED\x07', 'x\b\b\b\bweb', 'web', 'a\rb', 'new\nline', '名前', 'zw\u200bweb', 'rtl-\u202egnp', '\x1b[31mred'];
const now = Date.parse('2026-11-30T12:00:00Z');

function containerRow(name: string, i: number): ContainerRow {
  return {namespace: 'default', id: `c${i}`, name, image: `img\x1b]52;c;aGVsbG8=\x07:${i}`, status: 'running', pid: 100 + i, createdAt: new Date(now - 60_000), labels: {}};
}

test('table cells: sanitised once in viewRows, the escapes kept as parts, so rows line up', () => {
  const columns = visibleColumns(containers, false);
  const views = viewRows(containers, NAMES.map(containerRow), {filter: '', sort: {column: 'name', descending: false}, now, columns});
  const byId = new Map(views.map((v) => [(v.row as ContainerRow).id, v]));
  assert.equal(byId.get('c0')!.cells[0], '\\e]0;PWNED\\x07');
  assert.equal(byId.get('c1')!.cells[0], 'x\\b\\b\\b\\bweb');
  assert.equal(byId.get('c4')!.cells[0], 'new\\nline');
  assert.deepEqual(byId.get('c0')!.parts![0], [{text: '\\e', escape: true}, {text: ']0;PWNED'}, {text: '\\x07', escape: true}]);
  assert.equal(byId.get('c2')!.parts?.[0], undefined, 'a clean cell has no parts');
  // A filter sees what is shown: the spoof is not found as "web" at the start of a name.
  const filtered = viewRows(containers, NAMES.map(containerRow), {filter: '\\b\\bweb', sort: {column: 'name', descending: false}, now, columns});
  assert.deepEqual(filtered.map((v) => (v.row as ContainerRow).id), ['c1']);

  const ui = render(<Table columns={columns} views={views} rowKey={containers.rowKey as (row: unknown) => string} sort={{column: 'name', descending: false}} selected={0} top={0} width={100} height={20} />);
  const frame = ui.lastFrame() ?? '';
  ui.unmount();
  // Ink may colour; nothing else of an escape sequence is left, and no control character.
  const bare = frame.replace(/\x1b\[[0-9;]*m/g, '');
  assert.doesNotMatch(bare, /[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
  const lines = bare.split('\n');
  assert.equal(lines.length, NAMES.length + 1, 'one line per row (a newline in a name does not split it)');
  assert.deepEqual(new Set(lines.map((l) => stringWidth(l.trimEnd()))).size, 1, `every row as wide as the header:\n${bare}`);
  assert.ok(lines.some((l) => l.includes('x\\b\\b\\b\\bweb')));
});

test('etcd keys: the tree, titles, dialogs and the status line show the key\'s real bytes', () => {
  const key = toLatin1(Buffer.concat([Buffer.from('/p/k-bs\b\b\b\b-ZZ\n'), Buffer.from([0xff])]));
  assert.equal(displayKey(key), '/p/k-bs\\b\\b\\b\\b-ZZ\\n\\xff');
  assert.deepEqual(keyParts(key).filter((p) => p.escape).map((p) => p.text), ['\\b\\b\\b\\b', '\\n\\xff']);
  assert.equal(displayKey(toLatin1(Buffer.from('/registry/名前'))), '/registry/名前');
});

test('values and describe: keys and strings of YAML and JSON, text lines, CR not a line break', () => {
  const yaml = toYamlLines({'na\x1bme': 'v\x1b]0;x\x07', list: ['\u202eabc'], script: 'a\rb\nc\n', big: 2n ** 64n}).map(lineText);
  assert.deepEqual(yaml, ['"na\\eme": "v\\e]0;x\\x07"', 'list:', '- "\\u{202e}abc"', 'script: |', '  a\\rb', '  c', 'big: 18446744073709551616']);
  const json = toJsonLines({k: 'a\u009bb', big: 1n}).map(lineText).join('\n');
  assert.match(json, /"a\\xc2\\x9bb"/);
  assert.match(json, /"big": "1"/);
  // (Text: controls are under 1% of the value; more would make it a hex dump, which is safe too.)
  const text = valueLines(describeValue(Buffer.from(`one\r\ntwo\rover\x1b]52;c;aGVsbG8=\x07\n${'.'.repeat(100)}`))).map(lineText);
  assert.deepEqual(text, ['one', 'two\\rover\\e]52;c;aGVsbG8=\\x07', '.'.repeat(100)]);
});

test('log lines: invalid bytes kept, controls escaped in the rows, wrapping keeps escapes whole parts', () => {
  const split = new LineSplitter('plain');
  const lines = split.split(Buffer.concat([Buffer.from('L1 \x1b]0;PWNED\x07 a\rb '), Buffer.from([0xff, 0x0a]), Buffer.from('L2 ok\n')]));
  assert.equal(lines.length, 2);
  const rows = visibleRows({lines, first: 0}, {follow: true, wrap: false, timestamps: false, top: 0}, 80, 10);
  assert.deepEqual(rows.map((r) => r.text), ['L1 \\e]0;PWNED\\x07 a\\rb \\xff', 'L2 ok']);
  const wrapped = visibleRows({lines, first: 0}, {follow: true, wrap: true, timestamps: false, top: 0}, 8, 10);
  assert.equal(wrapped.map((r) => r.text).join(''), 'L1 \\e]0;PWNED\\x07 a\\rb \\xffL2 ok');
  for (const r of wrapped) assert.ok(r.text.length <= 8);
});

test('errors, the status line, the busy line, dialogs, forms and crumbs are sanitised where they enter', () => {
  assert.equal(errorLine(new Error('no such container x\x1b]0;t\x07')), 'no such container x\\e]0;t\\x07');
  assert.equal(errorLine(new UndockError('invalid', 'k\b\b', 'fix\x1b')), 'k\\b\\b: fix\\e');
  const ctx = fakeContext();
  const app = new AppController(ctx, registry);
  try {
    app.setStatus('deleted /p/k-bs\b\b\b\b-ZZ at revision 5');
    assert.equal(app.ui.getState().status?.text, 'deleted /p/k-bs\\b\\b\\b\\b-ZZ at revision 5');
    app.report('pulling \x1b[2J');
    assert.equal(app.ui.getState().busy, 'pulling \\e[2J');
    applyResult(app, {kind: 'confirm', title: 'Delete k\b?', lines: ['line\r'], confirmLabel: 'Delete', run: async () => ({kind: 'none'})});
    assert.deepEqual([app.ui.getState().dialog?.title, app.ui.getState().dialog?.lines], ['Delete k\\b?', ['line\\r']]);
    const field = {id: 'key', label: 'key', value: 'raw\x1bvalue'};
    applyResult(app, {kind: 'form', title: 'New \x07', fields: [field], submitLabel: 'create', submit: async () => ({kind: 'none'})});
    assert.equal(app.ui.getState().form?.title, 'New \\x07');
    assert.equal(app.ui.getState().form?.fields[0]!.value, 'raw\x1bvalue', 'a form keeps the value it submits');
    app.open({as: 'push', frame: {view: 'help', crumb: 'pod\x1b]0;x\x07', state: {}}});
    assert.equal(app.currentFrame().crumb, 'pod\\e]0;x\\x07');
  } finally {
    app.close();
  }
});

test('the whole app draws a hostile log, describe and form without a control character', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'undock-hostile-'));
  const file = path.join(dir, 'x.log');
  fs.writeFileSync(file, 'L1 \x1b]0;PWNED\x07 \x1b]8;;http://evil.example/\x1b\\link\x1b]8;;\x1b\\ \b\b\r\n');
  const r = renderApp(fakeContext());
  try {
    r.app.openWith('logs', {title: 'c\x1b]0;t\x07', crumb: 'logs', source: {path: file, format: 'plain'}});
    const logs = await r.until((f) => f.includes('PWNED'));
    assert.match(logs, /L1 \\e\]0;PWNED\\x07 \\e\]8;;http:\/\/evil\.example\/\\e\\link\\e\]8;;\\e\\ \\b\\b/);
    assert.match(logs, /Logs c\\e\]0;t\\x07/);
    assert.doesNotMatch(logs.replace(/\x1b\[[0-9;]*m/g, ''), /[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
    r.app.openWith('describe', {title: 'd\b', load: async () => ({labels: {'k\x1b': 'v\x07\u202e'}})});
    const described = await r.until((f) => f.includes('labels:'));
    assert.match(described, /"k\\e": "v\\x07\\u\{202e\}"/);
    assert.doesNotMatch(described.replace(/\x1b\[[0-9;]*m/g, ''), /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e]/);
    r.app.apply({kind: 'form', title: 'New key', fields: [{id: 'key', label: 'key', value: '/a\x1b]0;x\x07'}], submitLabel: 'create', submit: async () => ({kind: 'none'})});
    const form = await r.until((f) => f.includes('New key'));
    assert.match(form, /key: +\/a\\e\]0;x\\x07/);
  } finally {
    r.done();
    fs.rmSync(dir, {recursive: true, force: true});
  }
});
