import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, test} from 'node:test';
import {buildShippedCache, cacheFolder, cacheName, loadApp, shippedCacheFile} from '../../../source/boot/code-cache.js';

let dir: string;
let app: string;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'undock-cache-'));
  app = path.join(dir, 'app.cjs');
  // A bundle with enough code that V8 makes a cache of it, and a result that shows it ran.
  fs.writeFileSync(app, `exports.start = () => 'ran ' + __filename;\n${Array.from({length: 50}, (_, i) => `function f${i}(x) { return x * ${i} + 1; }`).join('\n')}\n`);
  env = {XDG_CACHE_HOME: path.join(dir, 'cache')};
});
afterEach(() => fs.rmSync(dir, {recursive: true, force: true}));

// This test's own Node options (--import tsx, the test runner's) name its caches.
const ownName = (hash: string) => cacheName(hash, process.execArgv, process.env.NODE_OPTIONS);
const cacheFiles = () => fs.readdirSync(path.join(dir, 'cache', 'undock'));

test('the cache folder follows XDG_CACHE_HOME, else ~/.cache; a relative XDG_CACHE_HOME is ignored', () => {
  assert.equal(cacheFolder({XDG_CACHE_HOME: '/xdg', HOME: '/home/u'}), '/xdg/undock');
  assert.equal(cacheFolder({HOME: '/home/u'}), '/home/u/.cache/undock');
  assert.equal(cacheFolder({XDG_CACHE_HOME: 'rel', HOME: '/home/u'}), '/home/u/.cache/undock');
});

test('the first run saves the compiled code (0600 in a 0700 folder) and the next run uses it', () => {
  const first = loadApp(app, 'h1', env);
  assert.equal((first.app.start as unknown as () => string)(), `ran ${app}`);
  assert.equal(first.cache, undefined);
  first.saveCodeCache();
  const [file] = cacheFiles();
  assert.equal(file, ownName('h1'));
  assert.equal(fs.statSync(path.join(dir, 'cache', 'undock', file)).mode & 0o777, 0o600);
  assert.equal(fs.statSync(path.join(dir, 'cache', 'undock')).mode & 0o777, 0o700);
  const second = loadApp(app, 'h1', env);
  assert.equal(second.cache, 'own');
  assert.equal((second.app.start as unknown as () => string)(), `ran ${app}`);
});

test('a folder others can write is not read from, nor written to', () => {
  loadApp(app, 'h1', env).saveCodeCache();
  fs.chmodSync(path.join(dir, 'cache', 'undock'), 0o777);
  const run = loadApp(app, 'h1', env);
  assert.equal(run.cache, undefined);
  fs.rmSync(path.join(dir, 'cache', 'undock', cacheFiles()[0]));
  run.saveCodeCache();
  assert.deepEqual(cacheFiles(), []);
});

test('other builds\' caches are kept up to three, the newest; UNDOCK_CODE_CACHE=0 neither reads nor writes', async () => {
  const name = ownName;
  for (const h of ['h1', 'h2', 'h3', 'h4', 'h5']) {
    loadApp(app, h, env).saveCodeCache();
    await new Promise((r) => setTimeout(r, 15)); // distinct modification times
  }
  assert.deepEqual(cacheFiles().sort(), ['h2', 'h3', 'h4', 'h5'].map(name));
  // Two builds run in turn keep each other's cache.
  assert.equal(loadApp(app, 'h4', env).cache, 'own');
  assert.equal(loadApp(app, 'h5', env).cache, 'own');
  const off = loadApp(app, 'h5', {...env, UNDOCK_CODE_CACHE: '0'});
  assert.equal(off.cache, undefined);
  fs.rmSync(path.join(dir, 'cache', 'undock', name('h5')));
  off.saveCodeCache();
  assert.deepEqual(cacheFiles().sort(), ['h2', 'h3', 'h4'].map(name));
});

test('Node options get a cache of their own: a run with --trace-opt does not replace the plain run\'s', () => {
  const plain = cacheName('h1', []);
  assert.equal(plain, `app-h1-${process.version}-${process.arch}.v8cache`);
  const traced = cacheName('h1', ['--trace-opt']);
  assert.match(traced, new RegExp(`^app-h1-${process.version}-${process.arch}-o[0-9a-f]{8}\\.v8cache$`));
  assert.notEqual(cacheName('h1', [], '--max-old-space-size=4096'), plain);
  assert.notEqual(cacheName('h1', [], '--max-old-space-size=4096'), traced);
  assert.equal(cacheName('h1', [], '  '), plain);
  // The two are kept side by side: this run still finds its own beside another options' cache.
  loadApp(app, 'h1', env).saveCodeCache();
  fs.writeFileSync(path.join(dir, 'cache', 'undock', cacheName('h1', ['--other'])), 'other options', {mode: 0o600});
  assert.equal(loadApp(app, 'h1', env).cache, 'own');
});

test('a first start reads the cache the build shipped beside the bundle, then writes its own', async () => {
  fs.writeFileSync(app, `exports.prepare = async () => {}; ${fs.readFileSync(app, 'utf8')}`);
  fs.writeFileSync(shippedCacheFile(app, 'h1'), await buildShippedCache(app), {mode: 0o644});
  const first = loadApp(app, 'h1', env);
  assert.equal(first.cache, 'shipped');
  assert.equal((first.app.start as unknown as () => string)(), `ran ${app}`);
  first.saveCodeCache();
  assert.deepEqual(cacheFiles(), [ownName('h1')]);
  assert.equal(loadApp(app, 'h1', env).cache, 'own');
});

test('a shipped cache is not read when others can write it, when it is a link, or with UNDOCK_CODE_CACHE=0', async () => {
  fs.writeFileSync(app, `exports.prepare = async () => {}; ${fs.readFileSync(app, 'utf8')}`);
  const data = await buildShippedCache(app);
  const shipped = shippedCacheFile(app, 'h1');
  fs.writeFileSync(shipped, data, {mode: 0o644});
  // Each load has a cache folder of its own, empty: none finds a cache of its own.
  let n = 0;
  const fresh = (extra: NodeJS.ProcessEnv = {}) => loadApp(app, 'h1', {XDG_CACHE_HOME: path.join(dir, `c${n++}`), ...extra});
  assert.equal(fresh().cache, 'shipped');
  assert.equal(loadApp(app, 'h2', env).cache, undefined, 'another build\'s bundle does not read it');
  assert.equal(fresh({UNDOCK_CODE_CACHE: '0'}).cache, undefined);
  fs.chmodSync(shipped, 0o666);
  assert.equal(fresh().cache, undefined);
  fs.rmSync(shipped);
  const elsewhere = path.join(dir, 'elsewhere.v8cache');
  fs.writeFileSync(elsewhere, data, {mode: 0o644});
  fs.symlinkSync(elsewhere, shipped);
  assert.equal(fresh().cache, undefined);
});
