/**
 * esbuild plugins of the bundle (scripts/build.ts). Each change to a dependency's code checks that
 * the text it replaces is there, so a dependency upgrade that moves it fails the build, not the CLI.
 */
import fs from 'node:fs';
import path from 'node:path';
import type * as esbuild from 'esbuild';
import {parseAllSets, parseProtoFiles} from '../../source/data/grpc/proto-text.js';

export function replaceOnce(file: string, text: string, from: string | RegExp, to: string): string {
  const found = typeof from === 'string' ? text.includes(from) : from.test(text);
  if (!found) throw new Error(`${file}: ${String(from)} not found (a dependency changed: see scripts/build/plugins.ts)`);
  return text.replace(from, to);
}

/** A plugin that makes each replacement once in the files `filter` matches (the build fails if a text moved). */
export function textPatch(name: string, filter: RegExp, swaps: Array<[string | RegExp, string]>): esbuild.Plugin {
  return {
    name,
    setup(build) {
      build.onLoad({filter}, (args) => {
        let text = fs.readFileSync(args.path, 'utf8');
        for (const [from, to] of swaps) text = replaceOnce(args.path, text, from, to);
        return {loader: 'js', contents: text};
      });
    },
  };
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
        // One JSON text a set, parsed when a client first needs it: parsing all (the Kubernetes
        // types among them) was 5 ms of every start.
        `const texts = ${JSON.stringify(Object.fromEntries(Object.entries(parseAllSets()).map(([k, v]) => [k, JSON.stringify(v)])))};`,
        `const sets = new Map();`,
        `export function protoDescriptor(set) {`,
        `  let d = sets.get(set);`,
        `  if (d) return d;`,
        `  if (!Object.hasOwn(texts, set)) throw new Error('no proto descriptor for ' + set + ' (built from proto/ by scripts/build.ts)');`,
        `  d = JSON.parse(texts[set]);`,
        `  sets.set(set, d);`,
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
    // source/data/etcd/etcd3-module.ts: etcd3 runs when the first etcd client is made, not at start.
    build.onLoad({filter: /[\\/]source[\\/]data[\\/]etcd[\\/]etcd3-module\.ts$/}, () => ({
      loader: 'js',
      contents: `export function etcd3Module() {\n  return require('etcd3');\n}\n`,
    }));
    build.onResolve({filter: /^undock:etcd3-services$/}, () => ({path: 'etcd3-services', namespace: 'undock'}));
    build.onLoad({filter: /.*/, namespace: 'undock'}, () => ({
      loader: 'js',
      resolveDir: path.join(root, 'source/data/grpc'),
      contents: [
        `import {lazyRoot, servicesOf} from './package-definition.ts';`,
        `export default servicesOf(lazyRoot(${jsonSource(parseProtoFiles(['rpc.proto'], etcd3Proto))}));`,
      ].join('\n'),
    }));
  },
});

// Yoga (Ink's layout engine) carries its WebAssembly as a base64 data: URL that it decodes with atob
// and a charCodeAt loop (or fetches, which loads undici: a sixth of a start), and instantiates it
// asynchronously: a top-level await, which the CommonJS app bundle cannot hold. Here the same bytes
// are decoded by Buffer (native) and instantiated synchronously through Emscripten's instantiateWasm
// hook, after which the module object is complete (its run() is synchronous without pending work).
export const yogaPlugin: esbuild.Plugin = {
  name: 'undock-yoga-wasm',
  setup(build) {
    build.onLoad({filter: /[\\/]yoga-layout[\\/]dist[\\/]src[\\/]index\.js$/}, (args) => {
      const binaries = path.join(path.dirname(args.path), '../binaries/yoga-wasm-base64-esm.js');
      const base64 = /H="data:application\/octet-stream;base64,([A-Za-z0-9+/=]+)"/.exec(fs.readFileSync(binaries, 'utf8'))?.[1];
      if (!base64) throw new Error(`${binaries}: the wasm data: URL was not found (see scripts/build/plugins.ts)`);
      const text = fs.readFileSync(args.path, 'utf8');
      const sync = [
        `(() => {`,
        `  const bytes = Buffer.from(${JSON.stringify(base64)}, 'base64');`,
        `  const m = {instantiateWasm(imports, receive) { receive(new WebAssembly.Instance(new WebAssembly.Module(bytes), imports)); return {}; }};`,
        `  loadYoga(m).catch(() => {});`,
        `  if (typeof m.Node !== 'function') throw new Error('Yoga did not start synchronously (see scripts/build/plugins.ts)');`,
        `  return m;`,
        `})()`,
      ].join('\n');
      return {loader: 'js', contents: replaceOnce(args.path, text, 'await loadYoga()', sync)};
    });
    // The data: URL itself is then never read (instantiateWasm comes first): not shipped twice.
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

// protobufjs generates five functions (codegen, then new Function) for each message type the first
// time one is encoded or decoded: a fifth of a start's CPU. A response type is only decoded and
// turned into an object, a request type only made from one and encoded, and verify is called by
// encodeProtoAny alone: each function is generated at its own first call instead. A stub replaces
// itself on the type once it has run, unless something else took its place (the wrappers for
// google.protobuf types bind the original on a copy of the type, and keep calling the stub there).
export const protobufLazySetupPlugin = textPatch('undock-protobuf-lazy-setup', /[\\/]protobufjs[\\/]src[\\/]type\.js$/, [
  [
    '    // Replace setup methods with type-specific generated functions\n',
    [
      '    var self = this;',
      '    function lazy(name, make) {',
      '        var fn;',
      '        var stub = function () {',
      '            fn = fn || make();',
      '            if (self[name] === stub) self[name] = fn;',
      '            return fn.apply(this, arguments);',
      '        };',
      '        return stub;',
      '    }',
      '',
    ].join('\n'),
  ],
  [
    '    this.encode = encoder(this)({\n        Writer : Writer,\n        types  : types,\n        util   : util\n    });\n',
    '    this.encode = lazy("encode", function () { return encoder(self)({ Writer : Writer, types : types, util : util }); });\n',
  ],
  [
    '    this.decode = decoder(this)({\n        Reader : Reader,\n        types  : types,\n        util   : util\n    });\n',
    '    this.decode = lazy("decode", function () { return decoder(self)({ Reader : Reader, types : types, util : util }); });\n',
  ],
  [
    '    this.verify = verifier(this)({\n        types : types,\n        util  : util\n    });\n',
    '    this.verify = lazy("verify", function () { return verifier(self)({ types : types, util : util }); });\n',
  ],
  [
    '    this.fromObject = converter.fromObject(this)({\n        types : types,\n        util  : util\n    });\n',
    '    this.fromObject = lazy("fromObject", function () { return converter.fromObject(self)({ types : types, util : util }); });\n',
  ],
  [
    '    this.toObject = converter.toObject(this)({\n        types : types,\n        util  : util\n    });\n',
    '    this.toObject = lazy("toObject", function () { return converter.toObject(self)({ types : types, util : util }); });\n',
  ],
]);
