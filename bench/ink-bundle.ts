/**
 * The <App> the in-process keypress bench renders, built as dist/app.cjs is (scripts/build/app-options.ts):
 * from source under tsx it was another program, React's development build and Ink without the
 * bundle's changes (the key's frame drawn at once, the line caches), 16-24 ms a key against the CLI's 5.
 */
import fs from 'node:fs';
import {createRequire} from 'node:module';
import os from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';
import {appBuildOptions, scriptBuildOptions} from '../scripts/build/app-options.js';

const root = path.resolve(import.meta.dirname, '..');

export type InkBundle = typeof import('./ink-entry.js');

export async function loadInkBundle(): Promise<InkBundle> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'undock-bench-ink-'));
  try {
    const file = path.join(dir, 'ink-entry.cjs');
    await esbuild.build({...scriptBuildOptions(root), ...appBuildOptions(root, 'bench'), entryPoints: ['bench/ink-entry.ts'], outfile: file});
    return createRequire(import.meta.url)(file) as InkBundle;
  } finally {
    // Loaded: the bundle is in memory, its file no longer needed.
    fs.rmSync(dir, {recursive: true, force: true});
  }
}
