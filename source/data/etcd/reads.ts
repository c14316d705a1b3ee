import type {
  Etcd3,
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
  };
}
