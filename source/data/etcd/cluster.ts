import type {IStatusResponse} from 'etcd3';
import {UndockError, errorLine} from '../errors.js';
import type {EtcdClient} from './client.js';
import {deadline, etcdFailure, hexId, hexToDecimal, leaseId} from './keys.js';

export interface EtcdMember {
  /** hex, as etcdctl member list prints it */
  id: string;
  /** empty until an added member first starts */
  name: string;
  peerUrls: string[];
  clientUrls: string[];
  isLearner: boolean;
}

export interface EndpointStatus {
  endpoint: string;
  memberId: string;
  /** '0' when the member knows no leader */
  leaderId: string;
  isLeader: boolean;
  raftTerm: string;
  raftIndex: string;
  raftAppliedIndex: string;
  dbSize: number;
  dbSizeInUse: number;
  version: string;
  isLearner: boolean;
  /** alarms and the like, as etcd reports them */
  errors: string[];
  /** the member's current store revision */
  revision: string;
}

export interface ClusterMember extends EtcdMember {
  /** the member's first client URL, the one asked for status and health */
  endpoint?: string;
  status?: EndpointStatus;
  isLeader: boolean;
  /** answered a linearizable read (needs a leader and quorum), as `etcdctl endpoint health` checks */
  healthy: boolean;
  /** why status or health failed */
  error?: string;
}

export interface ClusterInfo {
  clusterId: string;
  members: ClusterMember[];
  /** hex; undefined when no member reports a leader */
  leaderId?: string;
  raftTerm?: string;
  /** the highest store revision any member reports */
  revision?: string;
}

export interface LeaseInfo {
  /** hex, as etcdctl lease list prints it */
  id: string;
  grantedTtl: number;
  /** seconds left; -1 once expired */
  remainingTtl: number;
  keys: Buffer[];
}

const STATUS_DEADLINE_MS = 3_000;

function byName(a: EtcdMember, b: EtcdMember): number {
  return a.name.localeCompare(b.name) || a.id.localeCompare(b.id);
}

export async function memberList(client: EtcdClient): Promise<{clusterId: string; members: EtcdMember[]}> {
  try {
    const res = await client.reads.memberList(deadline());
    const members = res.members.map((m) => ({
      id: hexId(m.ID),
      name: m.name,
      peerUrls: m.peerURLs,
      clientUrls: m.clientURLs,
      isLearner: m.isLearner,
    }));
    return {clusterId: hexId(res.header.cluster_id), members: members.sort(byName)};
  } catch (e) {
    throw etcdFailure(e, client, 'listing members');
  }
}

function statusOf(endpoint: string, res: IStatusResponse): EndpointStatus {
  const memberId = hexId(res.header.member_id);
  const leaderId = hexId(res.leader);
  return {
    endpoint,
    memberId,
    leaderId,
    isLeader: leaderId !== '0' && leaderId === memberId,
    raftTerm: res.raftTerm,
    raftIndex: res.raftIndex,
    raftAppliedIndex: res.raftAppliedIndex,
    dbSize: Number(res.dbSize),
    dbSizeInUse: Number(res.dbSizeInUse),
    version: res.version,
    isLearner: res.isLearner,
    errors: res.errors ?? [],
    revision: res.header.revision,
  };
}

/** Maintenance.Status of one member, asked at its own endpoint (the status a member reports is its own). */
export async function endpointStatus(client: EtcdClient, endpoint: string): Promise<EndpointStatus> {
  try {
    return await client.atEndpoint(endpoint, async (member) => statusOf(endpoint, await member.status(deadline(STATUS_DEADLINE_MS))));
  } catch (e) {
    throw etcdFailure(e, client, `status of ${endpoint}`);
  }
}

async function probeMember(client: EtcdClient, endpoint: string): Promise<{status?: EndpointStatus; healthy: boolean; error?: string}> {
  return client.atEndpoint(endpoint, async (member) => {
    const [status, health] = await Promise.allSettled([
      member.status(deadline(STATUS_DEADLINE_MS)),
      // a linearizable read goes through the leader: it fails without one, or without quorum
      member.range({key: Buffer.from('health'), count_only: true}, deadline(STATUS_DEADLINE_MS)),
    ]);
    const out: {status?: EndpointStatus; healthy: boolean; error?: string} = {healthy: false};
    if (status.status === 'fulfilled') out.status = statusOf(endpoint, status.value);
    if (health.status === 'fulfilled') out.healthy = true;
    else if (/permission denied/i.test(String((health.reason as Error)?.message))) out.healthy = true; // answered: alive, as etcdctl counts it
    const failed = status.status === 'rejected' ? status.reason : health.status === 'rejected' && !out.healthy ? health.reason : undefined;
    if (failed) out.error = errorLine(etcdFailure(failed, client, `probing ${endpoint}`, endpoint));
    if (out.status?.errors.length) out.healthy = false;
    return out;
  });
}

/** Members with their status, the leader, health, and the current revision, probing every member at once. */
export async function clusterInfo(client: EtcdClient): Promise<ClusterInfo> {
  const {clusterId, members} = await memberList(client);
  const probed = await Promise.all(
    members.map(async (m): Promise<ClusterMember> => {
      const endpoint = m.clientUrls[0];
      if (!endpoint) return {...m, isLeader: false, healthy: false, error: 'not started yet (no client URL)'};
      const p = await probeMember(client, endpoint);
      return {...m, endpoint, status: p.status, healthy: p.healthy, error: p.error, isLeader: p.status?.isLeader ?? false};
    }),
  );
  // the leader as the member(s) with the highest raft term see it
  let term = -1n;
  let leaderId: string | undefined;
  let revision: bigint | undefined;
  for (const m of probed) {
    const s = m.status;
    if (!s) continue;
    if (s.leaderId !== '0' && BigInt(s.raftTerm) > term) {
      term = BigInt(s.raftTerm);
      leaderId = s.leaderId;
    }
    if (revision === undefined || BigInt(s.revision) > revision) revision = BigInt(s.revision);
  }
  for (const m of probed) m.isLeader = leaderId !== undefined && m.id === leaderId;
  return {
    clusterId,
    members: probed,
    leaderId,
    raftTerm: term >= 0n ? term.toString() : undefined,
    revision: revision?.toString(),
  };
}

/** Every lease with its TTLs and keys (LeaseLeases, then LeaseTimeToLive with keys, 16 at a time). */
export async function leases(client: EtcdClient): Promise<LeaseInfo[]> {
  let ids: string[];
  try {
    ids = (await client.reads.leaseLeases(deadline())).leases.map((l) => l.ID);
  } catch (e) {
    throw etcdFailure(e, client, 'listing leases');
  }
  const out: LeaseInfo[] = [];
  for (let i = 0; i < ids.length; i += 16) {
    const batch = await Promise.all(
      ids.slice(i, i + 16).map(async (ID) => {
        try {
          const r = await client.reads.leaseTimeToLive({ID, keys: true}, deadline());
          return {id: leaseId(ID), grantedTtl: Number(r.grantedTTL), remainingTtl: Number(r.TTL), keys: r.keys};
        } catch (e) {
          const failure = etcdFailure(e, client, `reading lease ${leaseId(ID)}`);
          if (failure.kind === 'not-found') return undefined; // expired between the two calls
          throw failure;
        }
      }),
    );
    for (const l of batch) if (l) out.push(l);
  }
  return out.sort((a, b) => (BigInt(`0x${a.id}`) < BigInt(`0x${b.id}`) ? -1 : 1));
}

/** Revokes a lease (hex ID): etcd deletes every key attached to it. */
export async function revokeLease(client: EtcdClient, id: string): Promise<{revision: string}> {
  return client.write(`revoking lease ${id}`, async (etcd) => {
    let decimal: string;
    try {
      decimal = hexToDecimal(id);
    } catch {
      throw new UndockError('invalid', `not a lease ID: ${id}`, 'lease IDs are hex, as etcdctl lease list prints them');
    }
    try {
      const r = await etcd.leaseClient.leaseRevoke({ID: decimal}, deadline());
      return {revision: r.header.revision};
    } catch (e) {
      throw etcdFailure(e, client, `revoking lease ${id}`);
    }
  });
}
