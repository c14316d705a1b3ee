/**
 * `npm run build` (after tsc has type-checked source/): two bundles in dist/.
 * - dist/app.cjs: the whole app (source/boot/app.ts and all it imports), one minified CommonJS script,
 *   so that main.ts can compile it with a V8 code cache (source/boot/code-cache.ts). Modules the first
 *   view does not need are imported dynamically and so only run when asked for.
 * - dist/main.js: the executable, a small CommonJS script (dist/package.json) that runs app.cjs.
 * - dist/app.<hash>.v8cache: app.cjs's code cache with its modules loaded, for a first start (scripts/build/shipped-cache.ts).
 * scripts/build/app-options.ts and plugins.ts: the proto descriptors parsed here from proto/ and carried in the bundle,
 * and what is changed in dependencies as they are bundled (DESIGN.md, "The bundle").
 */
import {spawnSync} from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import * as esbuild from 'esbuild';
import {shippedCacheFile} from '../source/boot/code-cache.js';
import {appBuildOptions, MODULE_URL, scriptBuildOptions} from './build/app-options.js';
import {shareToEsm} from './build/to-esm-cache.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// UNDOCK_BUILD_OUT and UNDOCK_BUILD_MINIFY=0: a readable build elsewhere, for profiling.
const dist = process.env.UNDOCK_BUILD_OUT ? path.resolve(process.env.UNDOCK_BUILD_OUT) : path.join(root, 'dist');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {version: string};

const common: esbuild.BuildOptions = {
  ...scriptBuildOptions(root),
  minify: process.env.UNDOCK_BUILD_MINIFY !== '0',
  legalComments: 'linked',
  metafile: true,
};

fs.rmSync(dist, {recursive: true, force: true});
const app = await esbuild.build({
  ...common,
  entryPoints: {app: 'source/boot/app.ts'},
  outdir: dist,
  outExtension: {'.js': '.cjs'},
  ...appBuildOptions(root, pkg.version),
});
// app.cjs runs as a vm.Script, which has no module loader: an import() left in it (of a module
// outside the bundle) would fail when it runs, so the build fails instead.
for (const [file, out] of Object.entries(app.metafile!.outputs)) {
  const dynamic = out.imports.filter((i) => i.kind === 'dynamic-import' && i.external);
  if (dynamic.length) throw new Error(`${file}: import() of ${dynamic.map((i) => i.path).join(', ')} (use a require: see source/boot/code-cache.ts)`);
}
const appFile = path.join(dist, 'app.cjs');
const appText = shareToEsm(fs.readFileSync(appFile, 'latin1'), appFile);
// main.ts reads app.cjs as latin1: it must be ASCII (esbuild escapes the rest of the code; only an
// unminified build for profiling keeps comments, whose non-ASCII text then reads as other letters).
if (common.minify && /[^\x00-\x7f]/.test(appText)) throw new Error('app.cjs is not ASCII (see source/boot/code-cache.ts)');
fs.writeFileSync(appFile, appText, 'latin1');
// The code cache is named by this hash: V8 checks a cache against its source's length only.
const appHash = crypto.createHash('sha256').update(appText, 'latin1').digest('hex').slice(0, 16);
const main = await esbuild.build({
  ...common,
  entryPoints: {main: 'source/main.ts'},
  outdir: dist,
  define: {__UNDOCK_APP_HASH__: JSON.stringify(appHash), ...MODULE_URL},
});
fs.chmodSync(path.join(dist, 'main.js'), 0o755);
// dist/app.<hash>.v8cache: the code cache of a first start, made by a process of its own (NODE_OPTIONS
// cleared: V8 rejects a cache made under other flags than a start has).
const made = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/build/shipped-cache.ts'), appFile, appHash], {cwd: root, env: {...process.env, NODE_OPTIONS: ''}, stdio: ['ignore', 'inherit', 'inherit']});
if (made.status !== 0) throw new Error(`scripts/build/shipped-cache.ts exited ${made.status ?? made.signal}`);
// The package is "type": "module"; dist/ holds CommonJS scripts.
fs.writeFileSync(path.join(dist, 'package.json'), '{"type": "commonjs"}\n');
if (process.env.UNDOCK_BUILD_META) fs.writeFileSync(process.env.UNDOCK_BUILD_META, JSON.stringify({app: app.metafile, main: main.metafile}));
const outputs = [app, main].flatMap((r) => Object.entries(r.metafile!.outputs)).filter(([f]) => /\.c?js$/.test(f));
const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`;
const cacheBytes = fs.statSync(shippedCacheFile(appFile, appHash)).size;
console.log(`build: ${path.relative(root, dist)}/main.js and app.cjs (${appHash}), ${kib(outputs.reduce((n, [, o]) => n + o.bytes, 0))} in all; its code cache ${kib(cacheBytes)}`);
