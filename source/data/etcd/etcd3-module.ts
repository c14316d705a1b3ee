/**
 * The etcd3 package, loaded when the first etcd client is made: its ~150 KB and the service
 * definitions of its rpc.proto cost every start, the table views' too, which may never talk to
 * etcd. Run from source this is a plain import; the bundle replaces this file with a require()
 * that runs etcd3's modules on the first call (scripts/build/plugins.ts, etcd3Plugin).
 */
import * as etcd3 from 'etcd3';

export function etcd3Module(): typeof etcd3 {
  return etcd3;
}
