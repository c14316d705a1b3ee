/**
 * esbuild plugins of the bundle (scripts/build.ts). Each change to a dependency's code checks that
 * the text it replaces is there, so a dependency upgrade that moves it fails the build, not the CLI.
 */
import fs from 'node:fs';
import path from 'node:path';
import type * as esbuild from 'esbuild';
import {parseAllSets, parseProtoFiles} from '../../source/data/grpc/proto-text.js';

function replaceOnce(file: string, text: string, from: string | RegExp, to: string): string {
  const found = typeof from === 'string' ? text.includes(from) : from.test(text);
  if (!found) throw new Error(`${file}: ${String(from)} not found (a dependency changed: see scripts/build/plugins.ts)`);
  return text.replace(from, to);
}

/** A JSON value as JS source that V8 parses fast: JSON.parse of a string literal (not an object literal). */
const jsonSource = (v: unknown) => `JSON.parse(${JSON.stringify(JSON.stringify(v))})`;

/** source/data/grpc/descriptors.ts in the bundle: the descriptors of every proto set, parsed now. */
export const descriptorsPlugin: esbuild.Plugin = {
  name: 'undock-proto-descriptors',
  setup(build) {
    build.onLoad({filter: /[\\/]source[\\/]data[\\/]grpc[\\/]descriptors\.ts$/}, () => ({
      loader: 'js',
      contents: [
        `let sets;`,
        `export function protoDescriptor(set) {`,
        `  sets ??= ${jsonSource(parseAllSets())};`,
        `  const d = sets[set];`,
        `  if (!d) throw new Error('no proto descriptor for ' + set + ' (built from proto/ by scripts/build.ts)');`,
        `  return d;`,
        `}`,
      ].join('\n'),
    }));
  },
};

// etcd3 1.1 parses its rpc.proto with @grpc/proto-loader when its connection-pool module loads.
const etcd3Load = /\(0, proto_loader_1\.loadSync\)\(`\$\{__dirname\}\/\.\.\/proto\/rpc\.proto`, \{[^}]*\}\)/;
const etcd3Require = 'const proto_loader_1 = require("@grpc/proto-loader");';

/** etcd3's service definitions from its rpc.proto parsed now, built as proto-loader would (same options). */
export const etcd3Plugin = (root: string): esbuild.Plugin => ({
  name: 'undock-etcd3-descriptors',
  setup(build) {
    const etcd3Proto = path.join(root, 'node_modules/etcd3/proto');
    build.onLoad({filter: /[\\/]etcd3[\\/]lib[\\/]connection-pool\.js$/}, (args) => {
      const text = fs.readFileSync(args.path, 'utf8');
      const contents = replaceOnce(args.path, replaceOnce(args.path, text, etcd3Require, ''), etcd3Load, 'require("undock:etcd3-services").default');
      return {loader: 'js', contents};
    });
    build.onResolve({filter: /^undock:etcd3-services$/}, () => ({path: 'etcd3-services', namespace: 'undock'}));
    build.onLoad({filter: /.*/, namespace: 'undock'}, () => ({
      loader: 'js',
      resolveDir: path.join(root, 'source/data/grpc'),
      contents: [
        `import protobuf from 'protobufjs/light.js';`,
        `import {servicesOf} from './package-definition.ts';`,
        `export default servicesOf(protobuf.Root.fromJSON(${jsonSource(parseProtoFiles(['rpc.proto'], etcd3Proto))}));`,
      ].join('\n'),
    }));
  },
});

// Yoga (Ink's layout engine) carries its WebAssembly as a base64 data: URL that it decodes with atob
// and a charCodeAt loop (or fetches, which loads undici): 20-45 ms here. Given as wasmBinary, decoded
// by Buffer (native), the same bytes skip both.
export const yogaPlugin: esbuild.Plugin = {
  name: 'undock-yoga-wasm',
  setup(build) {
    build.onLoad({filter: /[\\/]yoga-layout[\\/]dist[\\/]src[\\/]index\.js$/}, (args) => {
      const binaries = path.join(path.dirname(args.path), '../binaries/yoga-wasm-base64-esm.js');
      const base64 = /H="data:application\/octet-stream;base64,([A-Za-z0-9+/=]+)"/.exec(fs.readFileSync(binaries, 'utf8'))?.[1];
      if (!base64) throw new Error(`${binaries}: the wasm data: URL was not found (see scripts/build/plugins.ts)`);
      const text = fs.readFileSync(args.path, 'utf8');
      return {loader: 'js', contents: replaceOnce(args.path, text, 'await loadYoga()', `await loadYoga({wasmBinary: Buffer.from(${JSON.stringify(base64)}, 'base64')})`)};
    });
    // The data: URL itself is then never read (wasmBinary comes first): not shipped twice.
    build.onLoad({filter: /[\\/]yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/}, (args) => {
      const text = fs.readFileSync(args.path, 'utf8');
      return {loader: 'js', contents: replaceOnce(args.path, text, /H="data:application\/octet-stream;base64,[A-Za-z0-9+/=]+"/, 'H="data:application/octet-stream;base64,"')};
    });
  },
};

// Ink turns every frame's cells into text with ansi-tokenize's styledCharsToString, which diffs each
// cell's styles with the previous cell's (three Sets and four arrays a cell, ~5,000 cells a frame):
// most of a cold frame. Two cells with the same styles in the same order need no codes between them
// (diffAnsiCodes(a, a) is empty), so that case skips the diff; a cell that ends unstyled needs no reset.
export const ansiTokenizePlugin: esbuild.Plugin = {
  name: 'undock-ansi-tokenize-same-styles',
  setup(build) {
    build.onLoad({filter: /[\\/]@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]styledChars\.js$/}, (args) => {
      let text = fs.readFileSync(args.path, 'utf8');
      text = replaceOnce(
        args.path,
        text,
        'ret += ansiCodesToString(diffAnsiCodes(chars[i - 1].styles, char.styles));',
        'if (!sameStyles(chars[i - 1].styles, char.styles)) ret += ansiCodesToString(diffAnsiCodes(chars[i - 1].styles, char.styles));',
      );
      text = replaceOnce(args.path, text, 'if (i === chars.length - 1) {', 'if (i === chars.length - 1 && char.styles.length > 0) {');
      text += `\nfunction sameStyles(a, b) {\n  if (a === b) return true;\n  if (a.length !== b.length) return false;\n  for (let i = 0; i < a.length; i++) if (a[i].code !== b[i].code || a[i].endCode !== b[i].endCode) return false;\n  return true;\n}\n`;
      return {loader: 'js', contents: text};
    });
  },
};
/** Appended to Ink's output.js by inkOutputPlugin. */
const inkOutputAdditions = `
let undockCaches;
function undockSharedCaches() {
  undockCaches ??= new OutputCaches();
  for (const m of [undockCaches.widths, undockCaches.blockWidths, undockCaches.styledChars]) if (m.size > 4000) m.clear();
  return undockCaches;
}
const undockBlank = Object.freeze({type: 'char', value: ' ', fullWidth: false, styles: Object.freeze([])});
/** Per output height, the last frame's rows: their cells and their text. */
const undockRows = new Map();
function undockRowText(line, y, height) {
  let rows = undockRows.get(height);
  if (!rows) undockRows.set(height, (rows = []));
  const last = rows[y];
  if (last && last.cells.length === line.length && last.cells.every((c, x) => c === line[x])) return last.text;
  // See https://github.com/vadimdemedes/ink/pull/564#issuecomment-1637022742
  const text = styledCharsToString(line.filter((item) => item !== undefined)).trimEnd();
  rows[y] = {cells: line, text};
  return text;
}
`;

/**
 * Ink's Output, per frame: it made new caches, so each frame tokenized every line of the screen
 * into styled characters and measured every width again; it filled the grid with a new blank
 * character object per cell; and it turned every row back into a string (about a half, a quarter
 * and a fifth of a frame's time, `--cpu-prof`), though most lines are the ones of the frame before.
 * Now one set of caches serves every frame (entries are only read; each map is emptied at 4,000
 * entries, so a screen of ever-new lines, a followed log, cannot grow it without bound), blank
 * cells share one frozen character, and a row whose cells are the very objects of the row before
 * (cached characters are never mutated) keeps its text. And every text node's width was measured
 * again for each frame: render-node-to-output.js now asks measure-text.js, which caches it.
 */
export const inkOutputPlugin: esbuild.Plugin = {
  name: 'undock-ink-output',
  setup(build) {
    build.onLoad({filter: /[\\/]ink[\\/]build[\\/]output\.js$/}, (args) => {
      let text = fs.readFileSync(args.path, 'utf8');
      text = replaceOnce(args.path, text, 'caches = new OutputCaches();', 'caches = undockSharedCaches();');
      text = replaceOnce(args.path, text, /row\.push\(\{\s*type: 'char',\s*value: ' ',\s*fullWidth: false,\s*styles: \[\],\s*\}\);/, 'row.push(undockBlank);');
      text = replaceOnce(
        args.path,
        text,
        /\.map\(line => \{[^}]*const lineWithoutEmptyItems = line\.filter\(item => item !== undefined\);\s*return styledCharsToString\(lineWithoutEmptyItems\)\.trimEnd\(\);\s*\}\)/,
        '.map((line, y) => undockRowText(line, y, this.height))',
      );
      return {loader: 'js', contents: text + inkOutputAdditions};
    });
    // Each frame measured every text node's widest line again; measure-text.js caches what the layout measured.
    build.onLoad({filter: /[\\/]ink[\\/]build[\\/]render-node-to-output\.js$/}, (args) => {
      const text = fs.readFileSync(args.path, 'utf8');
      const contents = replaceOnce(args.path, text, "import widestLine from 'widest-line';", "import measureText from './measure-text.js';\nconst widestLine = (text) => measureText(text).width;");
      return {loader: 'js', contents};
    });
  },
};
