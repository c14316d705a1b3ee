/**
 * Changes to Ink as the app bundle (dist/app.cjs) is built: its DEV-only top-level await dropped (a
 * CommonJS script, which main.ts compiles with a V8 code cache, holds none; Yoga's is in plugins.ts),
 * and its render throttle's flush published for key presses.
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

/**
 * Ink draws at most one frame per 33 ms (its render throttle, trailing edge): a key pressed just
 * after a frame of a watch storm waited for the next one. The throttle's flush is published for
 * undock's key handler (source/terminal/frame-flush.ts), which draws a key's frame at once.
 */
export const inkFlushPlugin: esbuild.Plugin = {
  name: 'undock-ink-key-flush',
  setup(build) {
    build.onLoad({filter: /[\\/]ink[\\/]build[\\/]ink\.js$/}, (args) => {
      const text = fs.readFileSync(args.path, 'utf8');
      const from = '            this.throttledOnRender = throttled;\n';
      const to = `${from}            globalThis[Symbol.for('undock.ink.flush')] = () => throttled.flush();\n`;
      return {loader: 'js', contents: replaceOnce(args.path, text, from, to)};
    });
  },
};
