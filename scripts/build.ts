/**
 * `npm run build` (after tsc has type-checked source/): bundles source/main.ts into dist/main.js, one
 * minified ESM entry, with the modules the first view does not need split into dist/chunks/ (loaded
 * by dynamic import). The proto descriptors are parsed here from proto/ and carried in the bundle, and
 * etcd3's own .proto parse at load is replaced by its descriptor parsed here too (DESIGN.md, "The bundle").
 */
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import * as esbuild from 'esbuild';
import {parseAllSets, parseProtoFiles} from '../source/data/grpc/proto-text.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// UNDOCK_BUILD_OUT and UNDOCK_BUILD_MINIFY=0: a readable build elsewhere, for profiling.
const dist = process.env.UNDOCK_BUILD_OUT ? path.resolve(process.env.UNDOCK_BUILD_OUT) : path.join(root, 'dist');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {version: string};
const etcd3Proto = path.join(root, 'node_modules/etcd3/proto');

/** A JSON value as JS source that V8 parses fast: JSON.parse of a string literal (not an object literal). */
const jsonSource = (v: unknown) => `JSON.parse(${JSON.stringify(JSON.stringify(v))})`;

/** source/data/grpc/descriptors.ts in the bundle: the descriptors of every proto set, parsed now. */
const descriptorsPlugin: esbuild.Plugin = {
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
const etcd3Plugin: esbuild.Plugin = {
  name: 'undock-etcd3-descriptors',
  setup(build) {
    build.onLoad({filter: /[\\/]etcd3[\\/]lib[\\/]connection-pool\.js$/}, (args) => {
      const text = fs.readFileSync(args.path, 'utf8');
      // An etcd3 that loads its protos another way fails the build here instead of at run time.
      if (!etcd3Load.test(text) || !text.includes(etcd3Require)) throw new Error(`${args.path}: etcd3 no longer loads rpc.proto as scripts/build.ts expects`);
      return {loader: 'js', contents: text.replace(etcd3Require, '').replace(etcd3Load, 'require("undock:etcd3-services").default')};
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
};

fs.rmSync(dist, {recursive: true, force: true});
const result = await esbuild.build({
  absWorkingDir: root,
  entryPoints: {main: 'source/main.ts'},
  outdir: dist,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: process.env.UNDOCK_BUILD_MINIFY !== '0',
  legalComments: 'linked',
  metafile: true,
  // React and its reconciler pick their production build at load; the development one is not shipped.
  define: {'process.env.NODE_ENV': '"production"', __UNDOCK_VERSION__: JSON.stringify(pkg.version)},
  // react-devtools-core: only loaded by Ink when DEV=true, as without the bundle (it is not a dependency).
  // @grpc/proto-loader: grpc-js requires it only to serve channelz and ORCA, which a client never does.
  external: ['react-devtools-core', '@grpc/proto-loader'],
  // The CommonJS dependencies (grpc-js, etcd3, protobufjs) require node's modules.
  banner: {js: `import {createRequire as __undockRequire} from 'node:module';const require=__undockRequire(import.meta.url);`},
  plugins: [descriptorsPlugin, etcd3Plugin],
  logLevel: 'warning',
});
fs.chmodSync(path.join(dist, 'main.js'), 0o755);
if (process.env.UNDOCK_BUILD_META) fs.writeFileSync(process.env.UNDOCK_BUILD_META, JSON.stringify(result.metafile));
const sizes = Object.entries(result.metafile.outputs).filter(([f]) => f.endsWith('.js'));
const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`;
console.log(`build: ${path.relative(root, dist)}/main.js and ${sizes.length - 1} chunks, ${kib(sizes.reduce((n, [, o]) => n + o.bytes, 0))} in all`);
