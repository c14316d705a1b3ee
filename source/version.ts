import fs from 'node:fs';

// Set by scripts/build.ts to package.json's version: the bundle's chunks sit in dist/chunks/, where
// no path relative to the module finds package.json, and reading it costs a file at start anyway.
declare const __UNDOCK_VERSION__: string | undefined;

/** undock's version, from package.json. */
export const VERSION: string =
  typeof __UNDOCK_VERSION__ === 'string'
    ? __UNDOCK_VERSION__
    : (JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {version: string}).version;
