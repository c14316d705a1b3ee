import {createHash} from 'node:crypto';
import fs from 'node:fs';
import {UndockError} from '../errors.js';
import type {EtcdClient} from './client.js';
import {endpointStatus, memberList, type EndpointStatus} from './cluster.js';
import {deadline, EtcdCompactedError, etcdFailure, hexToDecimal} from './keys.js';

/** Defragmenting rewrites the whole backend and blocks the member meanwhile: a big one takes a while. */
const DEFRAG_DEADLINE_MS = 5 * 60_000;
const SNAPSHOT_IDLE_MS = 30_000;

export interface DefragResult {
  before: EndpointStatus;
  after: EndpointStatus;
}

/**
 * Defragments one member, as `etcdctl defrag --endpoints URL` does: the status before and after
 * (allocated and in-use DB size). One member at a time, so the cluster keeps its quorum.
 */
export async function defragment(client: EtcdClient, endpoint: string): Promise<DefragResult> {
  const before = await endpointStatus(client, endpoint);
  await client.writeAt(endpoint, `defragmenting ${endpoint}`, async (etcd) => {
    try {
      await etcd.maintenance.defragment(deadline(DEFRAG_DEADLINE_MS));
    } catch (e) {
      throw etcdFailure(e, client, `defragmenting ${endpoint}`, endpoint);
    }
  });
  return {before, after: await endpointStatus(client, endpoint)};
}

/**
 * Compacts the keyspace at `revision`: every key's versions older than it are dropped for good
 * (physical: the call returns once the member has removed them, as `etcdctl compact --physical`).
 */
export async function compact(client: EtcdClient, revision: string): Promise<{revision: string}> {
  if (!/^[1-9]\d*$/.test(revision)) throw new UndockError('invalid', `not a revision: ${revision}`, 'give a whole number, at most the current revision');
  return client.write(`compacting at revision ${revision}`, async (etcd) => {
    try {
      const r = await etcd.kv.compact({revision, physical: true}, deadline(60_000));
      return {revision: r.header.revision};
    } catch (e) {
      throw etcdFailure(e, client, `compacting at revision ${revision}`);
    }
  });
}

export interface MemberHash {
  memberId: string;
  name: string;
  endpoint: string;
  hash?: string;
  compactRevision?: string;
  error?: string;
}

export interface HashKVReport {
  /** the revision every member hashed up to */
  revision: string;
  members: MemberHash[];
  /** members whose hash differs from the most common one */
  mismatched: string[];
}

/**
 * HashKV of every member at one revision (the current one, read first), so that writes racing
 * the calls cannot pass for a mismatch, as `etcdctl endpoint hashkv --rev` would need.
 */
export async function hashKVAll(client: EtcdClient): Promise<HashKVReport> {
  const {members} = await memberList(client);
  let revision: string;
  try {
    revision = (await client.reads.status(deadline())).header.revision;
  } catch (e) {
    throw etcdFailure(e, client, 'reading the revision');
  }
  // HashKV refuses the compacted revision itself; with no write since the compaction, 0 (each member's latest) is that revision.
  let hashes = await hashAt(client, members, revision);
  if (hashes.some((h) => h.compacted)) hashes = await hashAt(client, members, '0');
  const report = hashes.map(({compacted: _, ...h}) => h);
  return {revision, members: report, mismatched: mismatchedMembers(report)};
}

async function hashAt(client: EtcdClient, members: Awaited<ReturnType<typeof memberList>>['members'], revision: string): Promise<Array<MemberHash & {compacted?: boolean}>> {
  return Promise.all(
    members.map(async (m): Promise<MemberHash & {compacted?: boolean}> => {
      const endpoint = m.clientUrls[0] ?? '';
      if (!endpoint) return {memberId: m.id, name: m.name, endpoint, error: 'not started (no client URL)'};
      try {
        const r = await client.atEndpoint(endpoint, (reads) => reads.hashKV(revision, deadline(60_000)));
        return {memberId: m.id, name: m.name, endpoint, hash: String(r.hash), compactRevision: r.compact_revision};
      } catch (e) {
        const failure = etcdFailure(e, client, `hashkv of ${endpoint}`, endpoint);
        return {memberId: m.id, name: m.name, endpoint, error: failure.message, compacted: failure instanceof EtcdCompactedError};
      }
    }),
  );
}

/** The members whose hash is not the one most members have (all of them, if no two agree). */
export function mismatchedMembers(hashes: MemberHash[]): string[] {
  const counts = new Map<string, number>();
  for (const h of hashes) if (h.hash !== undefined) counts.set(h.hash, (counts.get(h.hash) ?? 0) + 1);
  if (counts.size <= 1) return [];
  const [common, n] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
  const tie = [...counts.values()].filter((c) => c === n).length > 1;
  return hashes.filter((h) => h.hash !== undefined && (tie || h.hash !== common)).map((h) => h.memberId);
}

/** Moves leadership to `targetId` (hex): etcd takes MoveLeader only at the leader, so it is sent there. */
export async function moveLeader(client: EtcdClient, leaderEndpoint: string, targetId: string): Promise<void> {
  await client.writeAt(leaderEndpoint, `moving the leader to ${targetId}`, async (etcd) => {
    try {
      await etcd.maintenance.moveLeader({targetID: hexToDecimal(targetId)}, deadline(15_000));
    } catch (e) {
      throw etcdFailure(e, client, `moving the leader to ${targetId}`, leaderEndpoint);
    }
  });
}

export interface SnapshotResult {
  file: string;
  bytes: number;
  /** the revision the snapshot holds (its first header) */
  revision?: string;
  sha256: string;
}

interface ReadStream {
  on(event: string, fn: (arg: never) => void): unknown;
  cancel?: () => void;
}

/**
 * Saves a member's backend to `file`, as `etcdctl snapshot save`: written to FILE.part (0600, never
 * over an existing file) and linked to FILE when the stream ends. `progress` gets bytes so far and the total.
 */
export async function saveSnapshot(client: EtcdClient, endpoint: string, file: string, progress: (done: number, total: number) => void): Promise<SnapshotResult> {
  if (!file) throw new UndockError('invalid', 'no file named for the snapshot', 'type the path of a new file');
  if (fs.existsSync(file)) throw new UndockError('invalid', `${file} exists already`, 'name a new file: a snapshot never overwrites one');
  const part = `${file}.part`;
  let fd: number;
  try {
    fd = fs.openSync(part, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o600);
  } catch (e) {
    throw new UndockError('invalid', `cannot create ${part}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 'name a file in a folder you can write');
  }
  const hash = createHash('sha256');
  let bytes = 0;
  let revision: string | undefined;
  try {
    await client.atEndpoint(endpoint, async (reads) => {
      const stream = (await reads.snapshot()) as unknown as ReadStream;
      await new Promise<void>((resolve, reject) => {
        let idle: NodeJS.Timeout | undefined;
        const arm = () => {
          clearTimeout(idle);
          idle = setTimeout(() => {
            stream.cancel?.();
            reject(new UndockError('deadline', `etcd at ${endpoint} stopped sending the snapshot for ${SNAPSHOT_IDLE_MS / 1000} s`));
          }, SNAPSHOT_IDLE_MS);
        };
        arm();
        stream.on('data', (chunk: {blob: Buffer; remaining_bytes: string; header?: {revision: string} | null}) => {
          arm();
          try {
            fs.writeSync(fd, chunk.blob);
          } catch (e) {
            clearTimeout(idle);
            stream.cancel?.();
            reject(new UndockError('invalid', `cannot write ${part}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`));
            return;
          }
          hash.update(chunk.blob);
          bytes += chunk.blob.length;
          revision ??= chunk.header?.revision;
          progress(bytes, bytes + Number(chunk.remaining_bytes));
        });
        stream.on('end', () => {
          clearTimeout(idle);
          resolve();
        });
        stream.on('error', (e: Error) => {
          clearTimeout(idle);
          reject(etcdFailure(e, client, `snapshot of ${endpoint}`, endpoint));
        });
      });
    });
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    // link, not rename: a file made meanwhile under that name is not replaced
    fs.linkSync(part, file);
    fs.rmSync(part);
  } catch (e) {
    try {
      fs.closeSync(fd);
    } catch {
      // closed already
    }
    fs.rmSync(part, {force: true});
    throw e;
  }
  return {file, bytes, revision, sha256: hash.digest('hex')};
}
