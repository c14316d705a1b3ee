/**
 * How undock's scripts are bundled, and what makes the app bundle the app as shipped: React's
 * production build, the proto descriptors parsed at build time, and the changes to dependencies
 * (DESIGN.md, "The bundle"). scripts/build.ts builds dist/ with it; the bench builds its in-process
 * <App> with it too (bench/ink-bundle.ts).
 */
import type * as esbuild from 'esbuild';
import {inkDevtoolsPlugin, inkFlushPlugin} from './app-plugins.js';
import {grpcIpv6Plugin} from './grpc-plugins.js';
import {ansiTokenizePlugin, descriptorsPlugin, etcd3Plugin, protobufLazySetupPlugin, yogaPlugin} from './plugins.js';
import {graphemePlugin, stringWidthPlugin} from './string-width.js';
import {inkIncrementalPlugin, inkOutputPlugin} from './ink-output-plugin.js';

/** A CommonJS script for Node 20; MODULE_URL in its define makes `import.meta.url` work in it. */
export function scriptBuildOptions(root: string): esbuild.BuildOptions {
  return {
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // import.meta.url (read by code also run from source) is the script's URL, as in an ES module.
    // "use strict" first: the banner would otherwise turn esbuild's own directive into a no-op.
    banner: {js: `"use strict";const __undockModuleUrl = require('node:url').pathToFileURL(__filename).href;`},
    logLevel: 'warning',
  };
}

/** What `import.meta.url` becomes in a script built with scriptBuildOptions. */
export const MODULE_URL = {'import.meta.url': '__undockModuleUrl'};

export function appBuildOptions(root: string, version: string): Pick<esbuild.BuildOptions, 'define' | 'external' | 'plugins'> {
  return {
    // React and its reconciler pick their production build at load; the development one is not shipped.
    define: {'process.env.NODE_ENV': '"production"', __UNDOCK_VERSION__: JSON.stringify(version), ...MODULE_URL},
    // react-devtools-core: only loaded by Ink when DEV=true, as without the bundle (it is not a dependency).
    // @grpc/proto-loader: grpc-js requires it only to serve channelz and ORCA, which a client never does.
    external: ['react-devtools-core', '@grpc/proto-loader'],
    plugins: [descriptorsPlugin, etcd3Plugin(root), yogaPlugin, inkDevtoolsPlugin, ansiTokenizePlugin, stringWidthPlugin, graphemePlugin, inkOutputPlugin, inkIncrementalPlugin, protobufLazySetupPlugin, inkFlushPlugin, grpcIpv6Plugin],
  };
}
