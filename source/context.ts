import type {Config} from './config.js';
import {ContainerdClient} from './data/containerd/client.js';
import {ImageContentResolver} from './data/containerd/image-content.js';
import {CriClient} from './data/cri/client.js';
import {EtcdClient} from './data/etcd/client.js';
import {GrpcConnection} from './data/grpc/connection.js';
import type {DataContext} from './resources/types.js';

/** Builds the clients for a config. One gRPC channel per socket: CRI shares containerd's when they are the same. */
export function createDataContext(config: Config): DataContext & {close(): void} {
  const containerdConn = new GrpcConnection(
    {label: 'containerd', address: config.address, howToChange: 'set --address or CONTAINERD_ADDRESS'},
    {readonly: config.readonly},
  );
  const criConn = new GrpcConnection(
    {
      label: 'CRI runtime',
      address: config.runtimeEndpoint,
      howToChange: 'set --runtime-endpoint or CONTAINER_RUNTIME_ENDPOINT',
    },
    {readonly: config.readonly},
  );
  const containerd = new ContainerdClient(containerdConn);
  const etcd = new EtcdClient(config.etcdEndpoints, {readonly: config.readonly});
  return {
    config,
    containerd,
    cri: new CriClient(criConn),
    etcd,
    imageContent: new ImageContentResolver(containerd),
    memo: new Map(),
    close() {
      containerdConn.close();
      criConn.close();
      etcd.close();
    },
  };
}
