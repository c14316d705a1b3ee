import type {Config} from './config.js';
import {ContainerdClient} from './data/containerd/client.js';
import {ImageContentResolver} from './data/containerd/image-content.js';
import {CriClient} from './data/cri/client.js';
import {PortForwards} from './data/cri/port-forward.js';
import {EtcdClient} from './data/etcd/client.js';
import {errorLine} from './data/errors.js';
import {safeText} from './data/text/sanitize.js';
import {GrpcConnection, sameSocket} from './data/grpc/connection.js';
import {isSshAddress, parseSshAddress} from './data/remote/ssh-address.js';
import {SshTunnel} from './data/remote/ssh-tunnel.js';
import {followRemoteLog} from './data/remote/remote-log.js';
import {atExit} from './terminal/at-exit.js';
import type {DataContext} from './resources/types.js';

/** "name:password" -> both; "name" alone needs a password from the caller (the CLI asks for it). */
export function splitUser(user: string | undefined, password?: string): {name: string; password: string} | undefined {
  if (!user) return undefined;
  const i = user.indexOf(':');
  return i >= 0 ? {name: user.slice(0, i), password: user.slice(i + 1)} : {name: user, password: password ?? ''};
}

/** Builds the clients for a config. One gRPC channel per socket: CRI shares containerd's when they are the same. */
export function createDataContext(config: Config, opts: {etcdPassword?: string} = {}): DataContext & {close(): void; ready(): Promise<void>} {
  // An ssh:// node: its socket is forwarded to a private local one (one tunnel per distinct address).
  const tunnels = new Map<string, SshTunnel>();
  const failureListeners = new Set<(address: string, error: string) => void>();
  const closers: Array<() => void> = [];
  const started: Array<Promise<void>> = [];
  const forward = (address: string) => {
    if (!isSshAddress(address)) return {};
    let t = tunnels.get(address);
    if (!t) {
      t = new SshTunnel(parseSshAddress(address));
      tunnels.set(address, t);
      // undock ending any way it can see (a signal, a crash) stops the ssh master and removes its folder.
      const tunnel = t;
      const forget = atExit(() => tunnel.close());
      closers.push(forget);
      // A failure shows in the header (whyDown); the tunnel keeps trying.
      started.push(t.start().catch(() => undefined));
      // The forward dropping is the node unreachable: the header says so now, in ssh's words.
      t.onState((s) => {
        if (s.status === 'down') for (const l of failureListeners) l(address, s.error);
      });
    }
    const tunnel = t;
    return {dial: tunnel.localSocket, whyDown: () => tunnel.whyDown()};
  };
  const containerdConn = new GrpcConnection(
    {label: 'containerd', address: config.address, howToChange: 'set --address or CONTAINERD_ADDRESS', ...forward(config.address)},
    {readonly: config.readonly},
  );
  // Its own label and fix in errors even when it rides containerd's channel.
  const criConn = new GrpcConnection(
    {
      label: 'CRI runtime',
      address: config.runtimeEndpoint,
      howToChange: 'set --runtime-endpoint or CONTAINER_RUNTIME_ENDPOINT',
      ...forward(config.runtimeEndpoint),
    },
    {readonly: config.readonly, channelOf: sameSocket(config.address, config.runtimeEndpoint) ? containerdConn : undefined},
  );
  const containerd = new ContainerdClient(containerdConn);
  const etcd = new EtcdClient(config.etcdEndpoints, {
    readonly: config.readonly,
    security: {cacert: config.etcdCacert, cert: config.etcdCert, key: config.etcdKey, user: splitUser(config.etcdUser, opts.etcdPassword)},
  });
  const forwards = new PortForwards();
  const node = tunnels.get(config.address);
  return {
    config,
    remote: node,
    followLog: node ? (file, o) => followRemoteLog(node, file, o) : undefined,
    containerd,
    cri: new CriClient(criConn),
    etcd,
    imageContent: new ImageContentResolver(containerd),
    memo: new Map(),
    forwards,
    onFailure(listener) {
      const offs = [
        containerdConn.onFailure((e) => listener('containerd', errorLine(e))),
        criConn.onFailure((e) => listener('cri', errorLine(e))),
        etcd.onFailure((e) => listener('etcd', errorLine(e))),
      ];
      const forward = (address: string, error: string) => {
        if (address === config.address) listener('containerd', safeText(`containerd at ${address} is not reachable: ${error}`));
        if (address === config.runtimeEndpoint) listener('cri', safeText(`CRI runtime at ${address} is not reachable: ${error}`));
      };
      failureListeners.add(forward);
      offs.push(() => failureListeners.delete(forward));
      return () => offs.forEach((off) => off());
    },
    /** Resolves when every ssh forward is up or has failed once (its error is then in the header). */
    ready: () => Promise.all(started).then(() => undefined),
    onEtcdAlarmHint: (listener) => etcd.onAlarmHint(listener),
    close() {
      forwards.stopAll();
      containerdConn.close();
      criConn.close();
      etcd.close();
      for (const t of tunnels.values()) t.close();
      for (const forget of closers) forget();
    },
  };
}
