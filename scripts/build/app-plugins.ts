/**
 * esbuild plugins that let the app be one CommonJS script (dist/app.cjs), which main.ts compiles with
 * a V8 code cache (source/boot/code-cache.ts): a CommonJS bundle holds no top-level await, and Ink
 * and Yoga each have one.
 */
import fs from 'node:fs';
import path from 'node:path';
import type * as esbuild from 'esbuild';
import {replaceOnce} from './plugins.js';

/** Yoga in the app bundle: the instance main.ts loaded (its WebAssembly is instantiated asynchronously). */
export const yogaShimPlugin = (root: string): esbuild.Plugin => ({
  name: 'undock-yoga-shim',
  setup(build) {
    build.onResolve({filter: /^yoga-layout$/}, () => ({path: 'yoga-layout', namespace: 'undock-yoga'}));
    build.onLoad({filter: /.*/, namespace: 'undock-yoga'}, () => {
      const enums = path.join(root, 'node_modules/yoga-layout/dist/src/generated/YGEnums.js');
      if (!fs.existsSync(enums)) throw new Error(`${enums} not found (yoga-layout changed: see scripts/build/app-plugins.ts)`);
      return {
        loader: 'js',
        resolveDir: root,
        contents: [
          `const yoga = globalThis[Symbol.for('undock.yoga')];`,
          `if (!yoga) throw new Error('Yoga was not loaded before Ink (see source/main.ts)');`,
          `export default yoga;`,
          `export * from ${JSON.stringify(enums)};`,
        ].join('\n'),
      };
    });
  },
});

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
