#!/usr/bin/env node
/**
 * The `undock` executable (dist/main.js, CommonJS: dist/package.json says so, and Node's CommonJS
 * loader starts faster than its ES module loader). It runs the app bundle (dist/app.cjs) through a
 * V8 code cache (boot/code-cache.ts). Anything that must hold before React and Ink are loaded
 * belongs here or in boot/app.ts.
 */
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import v8 from 'node:v8';
import {loadApp, V8_FLAGS} from './boot/code-cache.js';

// Node opens its inspector on 127.0.0.1:9229 when it gets SIGUSR1, unless a listener is installed:
// anyone who may signal undock would get a debugger into a process holding etcd credentials.
process.on('SIGUSR1', () => {});

// React's development build does a lot of bookkeeping per render; a user gets the production one.
// The bundle has React's production build only (scripts/build.ts defines process.env.NODE_ENV);
// this sets it for what reads it at run time. Written through `env` so the define does not rewrite it.
const env = process.env;
env.NODE_ENV ??= 'production';

// V8's young generation starts at 1 MB and doubles at each scavenge that finds it too small: a start
// allocates ~30 MB, so it went through nine scavenges (a fifth of a start's CPU). V8_FLAGS grows it
// 8x at a time, which reaches the same 16 MB ceiling in four (--trace-gc); the heap start left is
// compacted again by V8's memory reducer once undock is idle: in one GC (41 MB to 16 MB), not in
// three, whose last two freed nothing and were a third of the first idle minute's CPU (--trace-gc).
v8.setFlagsFromString(V8_FLAGS);

declare const __UNDOCK_APP_HASH__: string;
const here = path.dirname(fileURLToPath(import.meta.url));
const {app, saveCodeCache} = loadApp(path.join(here, 'app.cjs'), __UNDOCK_APP_HASH__, env);
void app.start(saveCodeCache);
