import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The team's test data, in `../shared/testdata` beside the repository (not part of it). A clone with
 * only the repository does not have it: tests that read it are skipped, and say why.
 */
export const sharedTestdata = path.resolve(repoRoot, '../shared/testdata');

/** The absolute path of a file under ../shared/testdata. */
export function sharedFile(rel: string): string {
  return path.join(sharedTestdata, rel);
}

/**
 * For node:test's `skip` option: false when every file is there, else the reason the test is
 * skipped (shown in the report), e.g. `test(name, {skip: needsShared('k8s/pod.json')}, fn)`.
 */
export function needsShared(...rel: string[]): string | false {
  const missing = rel.map(sharedFile).filter((f) => !fs.existsSync(f));
  if (missing.length === 0) return false;
  return `needs ${missing.join(', ')} (the team's ../shared/testdata beside the repository), which is absent here`;
}
