import type {Config} from './config.js';
import {ContainerdClient} from './data/containerd/client.js';
import {ImageContentResolver} from './data/containerd/image-content.js';
import {CriClient} from './data/cri/client.js';
import {EtcdClient} from './data/etcd/client.js';
import {errorLine} from './data/errors.js';
import {GrpcConnection, sameSocket} from './data/grpc/connection.js';
import type {DataContext} from './resources/types.js';

/** "name:password" -> both; "name" alone needs a password from the caller (the CLI asks for it). */
export function splitUser(user: string | undefined, password?: string): {name: string; password: string} | undefined {
  if (!user) return undefined;
  const i = user.indexOf(':');
  return i >= 0 ? {name: user.slice(0, i), password: user.slice(i + 1)} : {name: user, password: password ?? ''};
}

/** Builds the clients for a config. One gRPC channel per socket: CRI shares containerd's when they are the same. */
export function createDataContext(config: Config, opts: {etcdPassword?: string} = {}): DataContext & {close(): void} {
  const containerdConn = new GrpcConnection(
    {label: 'containerd', address: config.address, howToChange: 'set --address or CONTAINERD_ADDRESS'},
    {readonly: config.readonly},
  );
  // Its own label and fix in errors even when it rides containerd's channel.
  const criConn = new GrpcConnection(
    {
      label: 'CRI runtime',
      address: config.runtimeEndpoint,
      howToChange: 'set --runtime-endpoint or CONTAINER_RUNTIME_ENDPOINT',
    },
    {readonly: config.readonly, channelOf: sameSocket(config.address, config.runtimeEndpoint) ? containerdConn : undefined},
  );
  const containerd = new ContainerdClient(containerdConn);
  const etcd = new EtcdClient(config.etcdEndpoints, {
    readonly: config.readonly,
    security: {cacert: config.etcdCacert, cert: config.etcdCert, key: config.etcdKey, user: splitUser(config.etcdUser, opts.etcdPassword)},
  });
  return {
    config,
    containerd,
    cri: new CriClient(criConn),
    etcd,
    imageContent: new ImageContentResolver(containerd),
    memo: new Map(),
    onFailure(listener) {
      const offs = [
        containerdConn.onFailure((e) => listener('containerd', errorLine(e))),
        criConn.onFailure((e) => listener('cri', errorLine(e))),
        etcd.onFailure((e) => listener('etcd', errorLine(e))),
      ];
      return () => offs.forEach((off) => off());
    },
    onEtcdAlarmHint: (listener) => etcd.onAlarmHint(listener),
    close() {
      containerdConn.close();
      criConn.close();
      etcd.close();
    },
  };
}
