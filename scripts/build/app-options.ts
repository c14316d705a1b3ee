/**
 * What makes the app bundle the app as shipped: React's production build, the proto descriptors
 * parsed at build time, and the changes to dependencies (DESIGN.md, "The bundle"). scripts/build.ts
 * builds dist/app.cjs with it; the bench builds its in-process <App> with it too (bench/ink-bundle.ts).
 */
import type * as esbuild from 'esbuild';
import {inkDevtoolsPlugin, inkFlushPlugin} from './app-plugins.js';
import {grpcIpv6Plugin} from './grpc-plugins.js';
import {ansiTokenizePlugin, descriptorsPlugin, etcd3Plugin, protobufLazySetupPlugin, yogaPlugin} from './plugins.js';
import {graphemePlugin, stringWidthPlugin} from './string-width.js';
import {inkIncrementalPlugin, inkOutputPlugin} from './ink-output-plugin.js';

export function appBuildOptions(root: string, version: string): Pick<esbuild.BuildOptions, 'define' | 'external' | 'plugins'> {
  return {
    // React and its reconciler pick their production build at load; the development one is not shipped.
    define: {'process.env.NODE_ENV': '"production"', __UNDOCK_VERSION__: JSON.stringify(version), 'import.meta.url': '__undockModuleUrl'},
    // react-devtools-core: only loaded by Ink when DEV=true, as without the bundle (it is not a dependency).
    // @grpc/proto-loader: grpc-js requires it only to serve channelz and ORCA, which a client never does.
    external: ['react-devtools-core', '@grpc/proto-loader'],
    plugins: [descriptorsPlugin, etcd3Plugin(root), yogaPlugin, inkDevtoolsPlugin, ansiTokenizePlugin, stringWidthPlugin, graphemePlugin, inkOutputPlugin, inkIncrementalPlugin, protobufLazySetupPlugin, inkFlushPlugin, grpcIpv6Plugin],
  };
}
