/**
 * An esbuild plugin that lets the app be one CommonJS script (dist/app.cjs), which main.ts compiles
 * with a V8 code cache (source/boot/code-cache.ts): a CommonJS bundle holds no top-level await, and
 * Ink has one (Yoga's is in plugins.ts, yogaPlugin).
 */
import fs from 'node:fs';
import type * as esbuild from 'esbuild';
import {replaceOnce} from './plugins.js';

/**
 * Ink awaits react-devtools-core and its own package.json at load, and only when DEV=true: not a
 * dependency of undock, so the bundle says it is missing as Ink does when it is not installed.
 */
export const inkDevtoolsPlugin: esbuild.Plugin = {
  name: 'undock-ink-no-devtools',
  setup(build) {
    build.onLoad({filter: /[\\/]ink[\\/]build[\\/]reconciler\.js$/}, (args) => {
      let text = fs.readFileSync(args.path, 'utf8');
      text = replaceOnce(args.path, text, "await import('./devtools.js');", "throw Object.assign(new Error('react-devtools-core is not bundled'), {code: 'ERR_MODULE_NOT_FOUND'});");
      text = replaceOnce(args.path, text, '? await loadPackageJson()', '? {name: undefined, version: undefined}');
      return {loader: 'js', contents: text};
    });
  },
};
