import assert from 'node:assert/strict';
import {test} from 'node:test';
import {lineText, toJsonLines, toYamlLines} from '../../../source/ui/yaml.js';

const text = (lines: ReturnType<typeof toYamlLines>) => lines.map(lineText).join('\n');

test('objects, lists and scalars render as YAML a person can read', () => {
  const out = text(
    toYamlLines({
      id: 'web',
      labels: {'nerdctl/name': 'web', 'app.kubernetes.io/part-of': 'x y'},
      pid: 42,
      paused: false,
      args: ['sh', '-c', 'echo hi'],
      mounts: [{type: 'proc', options: ['nosuid']}],
      empty: {},
      none: null,
      version: '1.0',
      script: 'line1\nline2\n',
    }),
  );
  assert.equal(
    out,
    [
      'id: web',
      'labels:',
      '  nerdctl/name: web',
      '  app.kubernetes.io/part-of: x y',
      'pid: 42',
      'paused: false',
      'args:',
      '- sh',
      '- -c',
      '- echo hi',
      'mounts:',
      '- type: proc',
      '  options:',
      '  - nosuid',
      'empty: {}',
      'none: null',
      'version: "1.0"',
      'script: |',
      '  line1',
      '  line2',
    ].join('\n'),
  );
});

test('keys, strings and numbers get their colours; bytes are summarised', () => {
  const [line] = toYamlLines({size: 10});
  assert.deepEqual(line!.map((s) => s.color), [undefined, 'cyan', undefined, 'magenta']);
  assert.equal(text(toYamlLines({data: Buffer.from('abc')})), 'data: <3 bytes>');
});

test('JSON mode is the same object as indented JSON', () => {
  const value = {a: 1, b: ['x'], c: {d: true}};
  assert.deepEqual(JSON.parse(toJsonLines(value).map(lineText).join('\n')), value);
});

test('strings are quoted where kubectl\'s go-yaml quotes them: when they would read as another type', () => {
  const out = text(toYamlLines({at: '2017-06-27T16:35:34Z', v: '1.0', ip: '10.128.0.4', cpu: '100m', s: 'True', b: 'yes', x: '0x1f', e: '', c: 'a: b', h: 'a #b', d: '- x', q: '?x', star: '*'}));
  assert.equal(
    out,
    ['at: "2017-06-27T16:35:34Z"', 'v: "1.0"', 'ip: 10.128.0.4', 'cpu: 100m', 's: "True"', 'b: "yes"', 'x: "0x1f"', 'e: ""', 'c: "a: b"', 'h: "a #b"', 'd: "- x"', 'q: ?x', 'star: "*"'].join('\n'),
  );
});
