import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import * as esbuild from 'esbuild';
import {repoRoot} from '../../helpers/pty.js';

/** A dependency's module (default: one of Ink's, node_modules/ink/build/FILE) bundled with the given plugins, imported. */
export async function bundled(file: string, plugins: esbuild.Plugin[], from = 'node_modules/ink/build'): Promise<Record<string, unknown>> {
  const result = await esbuild.build({
    absWorkingDir: repoRoot,
    entryPoints: [path.join(repoRoot, from, file)],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    plugins,
    // CommonJS dependencies (signal-exit, via cli-cursor) require node's modules, as in scripts/build.ts.
    banner: {js: `import {createRequire as __undockRequire} from 'node:module';const require=__undockRequire(import.meta.url);`},
    logLevel: 'silent',
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'undock-bundled-'));
  try {
    const out = path.join(dir, `${path.basename(file, '.js')}.mjs`);
    fs.writeFileSync(out, result.outputFiles[0]!.text);
    return (await import(pathToFileURL(out).href)) as Record<string, unknown>;
  } finally {
    fs.rmSync(dir, {recursive: true, force: true});
  }
}
