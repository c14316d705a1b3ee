/**
 * Changes to Ink as the app bundle (dist/app.cjs) is built: its DEV-only top-level await dropped (a
 * CommonJS script, which main.ts compiles with a V8 code cache, holds none; Yoga's is in plugins.ts),
 * and its render throttle's flush published for key presses.
 */
import {textPatch} from './plugins.js';

/**
 * Ink awaits react-devtools-core and its own package.json at load, and only when DEV=true: not a
 * dependency of undock, so the bundle says it is missing as Ink does when it is not installed.
 */
export const inkDevtoolsPlugin = textPatch('undock-ink-no-devtools', /[\\/]ink[\\/]build[\\/]reconciler\.js$/, [
  ["await import('./devtools.js');", "throw Object.assign(new Error('react-devtools-core is not bundled'), {code: 'ERR_MODULE_NOT_FOUND'});"],
  ['? await loadPackageJson()', '? {name: undefined, version: undefined}'],
]);

/**
 * Ink draws at most one frame per 33 ms (its render throttle, trailing edge): a key pressed just
 * after a frame of a watch storm waited for the next one. The throttle's flush is published for
 * undock's key handler (source/terminal/frame-flush.ts), which draws a key's frame at once.
 */
const throttled = '            this.throttledOnRender = throttled;\n';
export const inkFlushPlugin = textPatch('undock-ink-key-flush', /[\\/]ink[\\/]build[\\/]ink\.js$/, [
  [throttled, `${throttled}            globalThis[Symbol.for('undock.ink.flush')] = () => throttled.flush();\n`],
]);
