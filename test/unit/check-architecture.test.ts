import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, test} from 'node:test';
import {checkArchitecture, RULES, type Violation} from '../../scripts/check-architecture.js';
import {parseImports} from '../../scripts/architecture/parse-imports.js';

const made: string[] = [];
after(() => made.forEach((d) => fs.rmSync(d, {recursive: true, force: true})));

/** A project root holding these files (paths relative to it). */
function tree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'undock-arch-'));
  made.push(root);
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), {recursive: true});
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}

const messages = (vs: Violation[]) => vs.map((v) => v.message);
const ofKind = (vs: Violation[], kind: Violation['kind']) => messages(vs.filter((v) => v.kind === kind));

test('a tree that keeps the rules has no violations', () => {
  const root = tree({
    'source/data/a.ts': "import fs from 'node:fs';\nimport {x} from 'some-package';\nimport {b} from './sub/b.js';\nexport const a = fs && x && b;\n",
    'source/data/sub/b.ts': 'export const b = 1;\n',
    'source/ui/view.tsx': "import {a} from '../data/a.js';\nimport type {Binding} from '../keys/bindings.js';\nimport {parse} from '../keys/parse.js';\nexport const v = [a, parse];\nexport type B = Binding;\n",
    'source/keys/bindings.ts': 'export interface Binding {key: string}\n',
    'source/keys/parse.ts': 'export const parse = 1;\n',
  });
  assert.deepEqual(messages(checkArchitecture(root)), []);
});

test('data/ importing ui/ is reported with the line; builtins and packages are fine', () => {
  const root = tree({
    'source/data/a.ts': "import os from 'node:os';\n\nimport {draw} from '../ui/draw.js';\nexport const a = [os, draw];\n",
    'source/data/b.ts': "export * from '../config.js';\n",
    'source/ui/draw.ts': 'export const draw = 1;\n',
    'source/config.ts': 'export const c = 1;\n',
  });
  assert.deepEqual(ofKind(checkArchitecture(root), 'import'), [
    'source/data/a.ts:3 imports source/ui/draw.ts: breaks "data/ uses nothing above it"',
    'source/data/b.ts:1 imports source/config.ts: breaks "data/ uses nothing above it"',
  ]);
});

test('ui/ may use keys/bindings and keys/parse, but no controller, keys/dispatch, app/ or views/', () => {
  const root = tree({
    'source/ui/a.tsx': [
      "import {b} from '../keys/bindings.js';",
      "import {p} from '../keys/parse.js';",
      "import type {M} from '../keys/dispatch.js';",
      "import '../app/start.js';",
      "export {v} from '../views/list.js';",
      "import {c} from '../store/controller.js';",
      "import {d} from './controller.jsx';",
      "import {e} from '../controllers/x/index.js';",
      '',
    ].join('\n'),
    'source/keys/bindings.ts': '',
    'source/keys/parse.ts': '',
    'source/keys/dispatch.ts': '',
    'source/app/start.ts': '',
    'source/views/list.ts': '',
    'source/store/controller.ts': '',
    'source/ui/controller.tsx': '',
    'source/controllers/x/index.ts': '',
  });
  const rule = 'breaks "ui/ draws and uses no controller"';
  assert.deepEqual(ofKind(checkArchitecture(root), 'import'), [
    `source/ui/a.tsx:3 imports source/keys/dispatch.ts (type only): ${rule}`,
    `source/ui/a.tsx:4 imports source/app/start.ts: ${rule}`,
    `source/ui/a.tsx:5 imports source/views/list.ts: ${rule}`,
    `source/ui/a.tsx:6 imports source/store/controller.ts: ${rule}`,
    `source/ui/a.tsx:7 imports source/ui/controller.tsx: ${rule}`,
    `source/ui/a.tsx:8 imports source/controllers/x/index.ts: ${rule}`,
  ]);
});

test('a dynamic import with a string literal counts as an import', () => {
  const root = tree({
    'source/data/a.ts': "export async function load() {\n  return (await import('../ui/heavy.js')).heavy;\n}\n",
    'source/ui/heavy.ts': 'export const heavy = 1;\n',
  });
  assert.deepEqual(ofKind(checkArchitecture(root), 'import'), ['source/data/a.ts:2 imports source/ui/heavy.ts: breaks "data/ uses nothing above it"']);
});

test('an import cycle is reported once, as a path back to its first file', () => {
  const root = tree({
    'source/a.ts': "import {b} from './b.js';\nexport const a = () => b;\n",
    'source/b.ts': "import {c} from './c.js';\nexport const b = () => c;\n",
    'source/c.ts': "import {a} from './a.js';\nexport const c = () => a;\n",
    'source/self.ts': "import './self.js';\n",
  });
  assert.deepEqual(ofKind(checkArchitecture(root), 'cycle'), [
    'import cycle: source/a.ts -> source/b.ts -> source/c.ts -> source/a.ts',
    'import cycle: source/self.ts -> source/self.ts',
  ]);
});

test('a cycle only through type imports is a violation unless the table allows it', () => {
  const root = tree({
    'source/a.ts': "import type {B} from './b.js';\nexport interface A {b?: B}\n",
    'source/b.ts': "import {type A} from './a.js';\nexport interface B {a?: A}\n",
    'source/c.ts': "import {d} from './d.js';\nexport const c = () => d;\n",
    'source/d.ts': "import {c} from './c.js';\nexport const d = () => c;\n",
  });
  const found = checkArchitecture(root);
  assert.deepEqual(ofKind(found, 'type-cycle'), ['type-only import cycle: source/a.ts -(type)-> source/b.ts -(type)-> source/a.ts']);
  assert.deepEqual(ofKind(found, 'cycle'), ['import cycle: source/c.ts -> source/d.ts -> source/c.ts']);
  const lenient = checkArchitecture(root, {...RULES, typeOnlyCyclesAreViolations: false});
  assert.deepEqual(messages(lenient), ['import cycle: source/c.ts -> source/d.ts -> source/c.ts']);
});

test('a runtime import and a type import between the same files make a runtime edge', () => {
  const root = tree({
    'source/a.ts': "import type {B} from './b.js';\nimport {b} from './b.js';\nexport const a = (x: B) => b(x);\n",
    'source/b.ts': "import {a} from './a.js';\nexport const b = (x: unknown) => a(x as never);\nexport type B = unknown;\n",
  });
  assert.deepEqual(ofKind(checkArchitecture(root), 'cycle'), ['import cycle: source/a.ts -> source/b.ts -> source/a.ts']);
});

test('a file over maxLines is reported; one at it is not', () => {
  const lines = (n: number) => Array.from({length: n}, (_, i) => `export const x${i} = ${i};`).join('\n') + '\n';
  const root = tree({'source/long.ts': lines(301), 'source/ok.ts': lines(300), 'source/ui/long.tsx': lines(302)});
  assert.deepEqual(ofKind(checkArchitecture(root), 'lines'), [
    'source/long.ts has 301 lines (max 300)',
    'source/ui/long.tsx has 302 lines (max 300)',
  ]);
  assert.deepEqual(messages(checkArchitecture(root, {...RULES, maxLines: 302})), []);
});

test('an import of a file that is not there is reported', () => {
  const root = tree({'source/a.ts': "import {gone} from './gone.js';\nexport const a = gone;\n"});
  assert.deepEqual(ofKind(checkArchitecture(root), 'unresolved'), ["source/a.ts:1 imports './gone.js', which is no file"]);
});

test('imports in comments, strings, templates and regexes are not imports; multi-line ones are', () => {
  const src = [
    "// import {x} from './comment.js';",
    "/* import './block.js'; */",
    "const s = \"import {y} from './string.js'\";",
    "const t = `import('./template.js') ${'nested'} ${`deep`}`;",
    "const r = /import '.\\/regex.js'/;",
    'import {',
    '  a,',
    '  type B,',
    "} from './multi.js';",
    "import type {C} from './types.js';",
    "import {type D, type E} from './all-types.js';",
    "import F, {type G} from './default.js';",
    "export type {H} from './reexport-type.js';",
    "export * as ns from './star.js';",
    "const later = await import(`./literal-template.js`);",
    "const computed = await import(`./${name}.js`);",
    "const text = <Text>don't stop</Text>; import('./after-jsx.js');",
    "type M = typeof import('./typeof.js'); let n: import('./member.js').N; import('./then.js').then(run);",
  ].join('\n');
  assert.deepEqual(
    parseImports(src).map((r) => [r.line, r.specifier, r.kind, r.typeOnly]),
    [
      [6, './multi.js', 'import', false],
      [10, './types.js', 'import', true],
      [11, './all-types.js', 'import', true],
      [12, './default.js', 'import', false],
      [13, './reexport-type.js', 'export-from', true],
      [14, './star.js', 'export-from', false],
      [15, './literal-template.js', 'dynamic', false],
      [17, './after-jsx.js', 'dynamic', false],
      [18, './typeof.js', 'dynamic', true],
      [18, './member.js', 'dynamic', true],
      [18, './then.js', 'dynamic', false],
    ],
  );
});

test('the CLI prints the violations and exits 1, or exits 0 on a clean tree', () => {
  const script = path.resolve(import.meta.dirname, '../../scripts/check-architecture.ts');
  const run = (root: string) => {
    try {
      return {code: 0, out: execFileSync(process.execPath, ['--import', 'tsx', script, root], {encoding: 'utf8', stdio: 'pipe'})};
    } catch (e) {
      const err = e as {status: number; stdout: string};
      return {code: err.status, out: err.stdout};
    }
  };
  assert.deepEqual(run(tree({'source/a.ts': 'export const a = 1;\n'})), {code: 0, out: ''});
  const bad = run(tree({'source/data/a.ts': "import '../ui/b.js';\n", 'source/ui/b.ts': ''}));
  assert.equal(bad.code, 1);
  assert.equal(bad.out, 'source/data/a.ts:1 imports source/ui/b.ts: breaks "data/ uses nothing above it"\n');
});
