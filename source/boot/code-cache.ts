/**
 * The app bundle (dist/app.cjs) run with a V8 code cache: Node 20 has no compile cache for modules
 * (module.enableCompileCache is Node 22), and compiling the ~1.5 MB bundle, then each function as it
 * is first called, was a third of a start. The bundle is compiled as one script with the bytes of
 * an earlier run's compilation (on a first start, the build's: dist/app.<hash>.v8cache); a few
 * seconds after start the code compiled so far (the whole start path) is written back for the next
 * run, once per build and Node version.
 *
 * The cache is code V8 runs without checking it (it checks the source's length, not its text: the
 * file name carries the build's hash). So it is read only from a folder and file owned by this user
 * and writable by nobody else: a root undock run with another user's HOME must not run their bytes.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import {createRequire} from 'node:module';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';

/** Caches of other builds (or Node versions) kept beside this one's. */
const KEEP_OTHERS = 3;

/** How long after start the compiled code is saved: the first view has loaded and drawn by then. */
const SAVE_AFTER_MS = 1_500;

/** $XDG_CACHE_HOME/undock, else ~/.cache/undock; undefined when there is no home to use. */
export function cacheFolder(env: NodeJS.ProcessEnv): string | undefined {
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, 'undock');
  const home = env.HOME || os.homedir();
  return home && path.isAbsolute(home) ? path.join(home, '.cache', 'undock') : undefined;
}

/**
 * The cache's file name. V8 rejects a cache made under other V8 flags, and Node's options (on the
 * command line or in NODE_OPTIONS: --max-old-space-size, --inspect, --trace-opt) can change them:
 * each set of options gets a cache of its own, or runs with and without them would each reject
 * and rewrite the other's.
 */
export function cacheName(hash: string, execArgv: readonly string[], nodeOptions = ''): string {
  const options = [...execArgv, nodeOptions.trim()].filter(Boolean).join(' ');
  const tag = options ? `-o${crypto.createHash('sha256').update(options).digest('hex').slice(0, 8)}` : '';
  return `app-${hash}-${process.version}-${process.arch}${tag}.v8cache`;
}

/** True when only `owner` (this user unless given) can have written the file or folder at `p`, not through a link. */
function ownedSafely(p: string, owner = process.getuid?.()): boolean {
  try {
    const st = fs.lstatSync(p);
    return !st.isSymbolicLink() && (owner === undefined || st.uid === owner) && (st.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

function readOrNothing(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

const readCache = (file: string) => (ownedSafely(path.dirname(file)) && ownedSafely(file) ? readOrNothing(file) : undefined);

/** Written beside and renamed into place: a run that reads it sees all of it or nothing. */
function writeCache(file: string, data: Buffer): void {
  const folder = path.dirname(file);
  try {
    fs.mkdirSync(folder, {recursive: true, mode: 0o700});
    if (!ownedSafely(folder)) return;
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      fs.writeFileSync(tmp, data, {mode: 0o600});
      fs.renameSync(tmp, file);
    } finally {
      fs.rmSync(tmp, {force: true});
    }
    // Other builds' caches go, but not the few newest: two installed versions run in turn would
    // otherwise delete each other's at every start.
    const others = fs
      .readdirSync(folder)
      .filter((name) => name.startsWith('app-') && name.endsWith('.v8cache') && name !== path.basename(file))
      .map((name) => ({name, mtime: fs.statSync(path.join(folder, name)).mtimeMs}))
      .sort((a, b) => b.mtime - a.mtime);
    for (const {name} of others.slice(KEEP_OTHERS)) fs.rmSync(path.join(folder, name), {force: true});
  } catch {
    // No cache is only a slower next start.
  }
}

/**
 * V8 flags main.ts sets before the bundle is compiled. A cache is checked against the flags it was
 * made under, so the build's cache (buildShippedCache) is made under the same ones.
 */
export const V8_FLAGS = '--semi-space-growth-factor=8 --memory-reducer-single-gc';

/**
 * The cache the build makes beside the bundle (dist/app.<hash>.v8cache), for a first start. Named
 * by the bundle's hash as this user's are: V8 checks a cache against its source's length only.
 */
export const shippedCacheFile = (file: string, hash: string) => path.join(path.dirname(file), `app.${hash}.v8cache`);

/**
 * The build's cache, read when this user has none yet: it is code, as the bundle beside it is, so
 * it is read only when whoever owns the bundle owns it too and no one else can write it.
 */
function readShipped(file: string, hash: string): Buffer | undefined {
  const cache = shippedCacheFile(file, hash);
  return ownedSafely(cache, fs.statSync(file).uid) ? readOrNothing(cache) : undefined;
}

const wrap = (source: string) => `(function (exports, require, module, __filename, __dirname) {${source}\n})`;

export interface AppModule {
  /** `saveCodeCache`: the terminal UI calls it as it quits, in case that is before the timer. */
  start(saveCodeCache: () => void): Promise<void>;
  /** Loads the modules a start loads, and runs nothing (the build's cache is made after it). */
  prepare(): Promise<unknown>;
}

export interface LoadedApp {
  app: AppModule;
  /** Saves the code compiled so far, once, unless this user's cache was the one used (idempotent). */
  saveCodeCache: () => void;
  /** The cache V8 took, if any (for tests): this user's, or the one the build shipped. */
  cache?: 'own' | 'shipped';
}

/**
 * Compiles and runs the CommonJS bundle at `file` (`hash` is its content's, from the build) and
 * returns its exports. UNDOCK_CODE_CACHE=0 compiles it without the cache (to measure the cache).
 */
export function loadApp(file: string, hash: string, env: NodeJS.ProcessEnv): LoadedApp {
  // The bundle is ASCII (esbuild escapes the rest; scripts/build.ts checks): latin1 skips UTF-8 decoding.
  const source = fs.readFileSync(file, 'latin1');
  const folder = env.UNDOCK_CODE_CACHE === '0' ? undefined : cacheFolder(env);
  const cacheFile = folder && path.join(folder, cacheName(hash, process.execArgv, env.NODE_OPTIONS));
  const own = cacheFile ? readCache(cacheFile) : undefined;
  // No cache of this user's yet: the build's, which holds the modules' loading but not the start path.
  const shipped = cacheFile && !own ? readShipped(file, hash) : undefined;
  const {script, app} = compile(file, source, own ?? shipped);
  const used = (own ?? shipped) !== undefined && !script.cachedDataRejected;
  // This user's cache is written (with the start path compiled by then) unless it was the one used.
  let save = cacheFile !== undefined && !(used && own);
  const saveCodeCache = () => {
    if (!save || !cacheFile) return;
    save = false;
    writeCache(cacheFile, script.createCachedData());
  };
  if (save) setTimeout(saveCodeCache, SAVE_AFTER_MS).unref();
  return {app, saveCodeCache, cache: used ? (own ? 'own' : 'shipped') : undefined};
}

function compile(file: string, source: string, cachedData?: Buffer): {script: vm.Script; app: AppModule} {
  const script = new vm.Script(wrap(source), {filename: file, cachedData});
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  const mod = {exports: {} as AppModule};
  run(mod.exports, createRequire(file), mod, file, path.dirname(file));
  return {script, app: mod.exports};
}

/**
 * The build's cache of the bundle at `file`: its modules loaded (`prepare`), nothing run. Made in a
 * process of its own that has set V8_FLAGS, as main.ts does, or V8 would reject it at every start.
 */
export async function buildShippedCache(file: string): Promise<Buffer> {
  const {script, app} = compile(file, fs.readFileSync(file, 'latin1'));
  await app.prepare();
  return script.createCachedData();
}
