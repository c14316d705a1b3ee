/**
 * Run by scripts/build.ts in a process of its own, under the flags main.ts sets: dist/app.<hash>.v8cache,
 * the code cache a first start reads before it has one of its own (source/boot/code-cache.ts).
 */
import fs from 'node:fs';
import v8 from 'node:v8';
import {buildShippedCache, shippedCacheFile, V8_FLAGS} from '../../source/boot/code-cache.js';

v8.setFlagsFromString(V8_FLAGS);
const [file, hash] = process.argv.slice(2) as [string, string];
fs.writeFileSync(shippedCacheFile(file, hash), await buildShippedCache(file), {mode: 0o644});
// What the modules started as they loaded (none should) does not keep the build waiting.
process.exit(0);
