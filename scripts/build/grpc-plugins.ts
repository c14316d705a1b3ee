/** esbuild plugins for grpc-js in the bundle (scripts/build.ts); see plugins.ts for the conventions. */
import fs from 'node:fs';
import type * as esbuild from 'esbuild';

const IPV6_CALL = '(0, net_1.isIPv6)(';
const IPV6_FILES = /[\\/]@grpc[\\/]grpc-js[\\/]build[\\/]src[\\/](subchannel-address|load-balancer-pick-first|resolver-dns)\.js$/;

// grpc-js asks net.isIPv6 of every TCP address it connects to or names. Node's first isIPv6 compiles
// its IPv6 expression, 4 ms of the key tree's start (etcd is a TCP address; a unix socket never
// gets there). An IPv6 address always holds a colon, an IPv4 address or a host name never does:
// a host without one is answered without the expression, with the same answer.
export const grpcIpv6Plugin: esbuild.Plugin = {
  name: 'undock-grpc-ipv6-colon-first',
  setup(build) {
    build.onLoad({filter: IPV6_FILES}, (args) => {
      const text = fs.readFileSync(args.path, 'utf8');
      const parts = text.split(IPV6_CALL);
      if (parts.length < 2) throw new Error(`${args.path}: ${IPV6_CALL} not found (a dependency changed: see scripts/build/grpc-plugins.ts)`);
      const helper = '\nfunction undockIsIPv6(host) {\n    return typeof host === "string" && host.includes(":") && (0, net_1.isIPv6)(host);\n}\n';
      return {loader: 'js', contents: parts.join('undockIsIPv6(') + helper};
    });
  },
};
