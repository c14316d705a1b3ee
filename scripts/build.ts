/**
 * `npm run build` (after tsc has type-checked source/): bundles source/main.ts into dist/main.js, one
 * minified ESM entry, with the modules the first view does not need split into dist/chunks/ (loaded
 * by dynamic import). scripts/build/plugins.ts: the proto descriptors parsed here from proto/ and
 * carried in the bundle, and what is changed in dependencies as they are bundled (DESIGN.md, "The bundle").
 */
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import * as esbuild from 'esbuild';
import {ansiTokenizePlugin, descriptorsPlugin, etcd3Plugin, inkOutputPlugin, yogaPlugin} from './build/plugins.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// UNDOCK_BUILD_OUT and UNDOCK_BUILD_MINIFY=0: a readable build elsewhere, for profiling.
const dist = process.env.UNDOCK_BUILD_OUT ? path.resolve(process.env.UNDOCK_BUILD_OUT) : path.join(root, 'dist');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {version: string};

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
  plugins: [descriptorsPlugin, etcd3Plugin(root), yogaPlugin, ansiTokenizePlugin, inkOutputPlugin],
  logLevel: 'warning',
});
fs.chmodSync(path.join(dist, 'main.js'), 0o755);
if (process.env.UNDOCK_BUILD_META) fs.writeFileSync(process.env.UNDOCK_BUILD_META, JSON.stringify(result.metafile));
const sizes = Object.entries(result.metafile.outputs).filter(([f]) => f.endsWith('.js'));
const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`;
console.log(`build: ${path.relative(root, dist)}/main.js and ${sizes.length - 1} chunks, ${kib(sizes.reduce((n, [, o]) => n + o.bytes, 0))} in all`);
