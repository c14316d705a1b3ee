import type {
  Etcd3,
  IAuthRoleGetResponse,
  IAuthRoleListResponse,
  IAuthStatusResponse,
  IAuthUserGetResponse,
  IAuthUserListResponse,
  IHashKVResponse,
  IResponseStream,
  ISnapshotResponse,
  ICompare,
  IDuplexStream,
  ILeaseLeasesResponse,
  ILeaseTimeToLiveRequest,
  ILeaseTimeToLiveResponse,
  IMemberListResponse,
  IRangeRequest,
  IRangeResponse,
  IStatusResponse,
  ITxnResponse,
  IWatchRequest,
  IWatchResponse,
} from 'etcd3';

export interface CallDeadline {
  deadline?: Date;
}

/** A transaction of ranges only: compares, then reads. */
export interface RangeTxn {
  compare?: ICompare[];
  success: Array<{request_range: IRangeRequest}>;
  failure?: Array<{request_range: IRangeRequest}>;
}

/**
 * Everything undock reads etcd with, and nothing that writes: keys, watches, member and lease
 * listings, member status. Writes go through EtcdClient.write, which read-only clients refuse.
 */
export interface EtcdReads {
  range(req: IRangeRequest, opts?: CallDeadline): Promise<IRangeResponse>;
  rangeTxn(req: RangeTxn, opts?: CallDeadline): Promise<ITxnResponse>;
  /** A watch stream; it only receives what its create requests ask for. */
  watchStream(): Promise<IDuplexStream<IWatchRequest, IWatchResponse>>;
  status(opts?: CallDeadline): Promise<IStatusResponse>;
  memberList(opts?: CallDeadline): Promise<IMemberListResponse>;
  leaseLeases(opts?: CallDeadline): Promise<ILeaseLeasesResponse>;
  leaseTimeToLive(req: ILeaseTimeToLiveRequest, opts?: CallDeadline): Promise<ILeaseTimeToLiveResponse>;
  /** The member's MVCC hash up to a revision (0: its latest), as `etcdctl endpoint hashkv`. */
  hashKV(revision: string, opts?: CallDeadline): Promise<IHashKVResponse>;
  /** The member's whole backend as a stream of chunks, its sha256 last (etcdctl snapshot save). */
  snapshot(opts?: CallDeadline): Promise<IResponseStream<ISnapshotResponse>>;
  userList(opts?: CallDeadline): Promise<IAuthUserListResponse>;
  userGet(name: string, opts?: CallDeadline): Promise<IAuthUserGetResponse>;
  roleList(opts?: CallDeadline): Promise<IAuthRoleListResponse>;
  roleGet(role: string, opts?: CallDeadline): Promise<IAuthRoleGetResponse>;
  /** etcd 3.5+; 3.4 answers UNIMPLEMENTED (auth.ts then asks Authenticate). */
  authStatus(opts?: CallDeadline): Promise<IAuthStatusResponse>;
  /** Asks for a token: says whether auth is on (3.4 has no AuthStatus) without changing anything. */
  authenticate(name: string, password: string, opts?: CallDeadline): Promise<unknown>;
}

/** etcd3's connection pool under its clients: for calls its wrappers get wrong (see hashKV, snapshot). */
interface Pool {
  exec<T>(service: 'Maintenance', method: string, params: unknown, options?: CallDeadline): Promise<T>;
  withConnection<R>(service: 'Maintenance', fn: (args: {client: Record<string, (...a: unknown[]) => R>; metadata: unknown}) => R): Promise<R>;
}

function poolOf(etcd: Etcd3): Pool {
  return (etcd.maintenance as unknown as {client: Pool}).client;
}

/** The read surface of one etcd3 client, bound to it for its whole life. */
export function readsOf(etcd: Etcd3): EtcdReads {
  return {
    range: (req, opts) => etcd.kv.range(req, opts),
    // The ops are rebuilt, so a put or delete smuggled into an op object is never sent.
    rangeTxn: (req, opts) =>
      etcd.kv.txn(
        {
          compare: req.compare ?? [],
          success: req.success.map((op) => ({request_range: op.request_range})),
          failure: (req.failure ?? []).map((op) => ({request_range: op.request_range})),
        },
        opts,
      ),
    watchStream: () => etcd.watchClient.watch(),
    status: (opts) => etcd.maintenance.status(opts),
    memberList: (opts) => etcd.cluster.memberList({}, opts),
    leaseLeases: (opts) => etcd.leaseClient.leaseLeases(opts),
    leaseTimeToLive: (req, opts) => etcd.leaseClient.leaseTimeToLive(req, opts),
    // etcd3 1.1.2 calls a method `hashKV` that grpc-js names `HashKV`/`hashKv`: it always fails.
    hashKV: (revision, opts) => poolOf(etcd).exec('Maintenance', 'HashKV', {revision}, opts),
    // etcd3's snapshot() passes the metadata where the request goes, so its token would be lost.
    snapshot: (opts) => poolOf(etcd).withConnection('Maintenance', ({client, metadata}) => client.Snapshot!({}, metadata, opts ?? {})) as Promise<IResponseStream<ISnapshotResponse>>,
    userList: (opts) => etcd.auth.userList(opts),
    userGet: (name, opts) => etcd.auth.userGet({name}, opts),
    roleList: (opts) => etcd.auth.roleList(opts),
    roleGet: (role, opts) => etcd.auth.roleGet({role}, opts),
    authStatus: (opts) => etcd.auth.authStatus(opts),
    authenticate: (name, password, opts) => etcd.auth.authenticate({name, password}, opts),
  };
}
