// What a failed etcd call means for the user, and who hears of it (the header marks etcd down at once).
import {
  EtcdInvalidAuthTokenError,
  EtcdAuthenticationFailedError,
  EtcdLeaseInvalidError,
  EtcdPermissionDeniedError,
  GRPCDeadlineExceededError,
  GRPCInvalidArgumentError,
  GRPCUnauthenticatedError,
  GRPCUnavailableError,
} from 'etcd3/lib/errors.js'; // not the package's index: that loads all of etcd3 (etcd3-module.ts)
import {UndockError} from '../errors.js';
import {grpcCause, neverAnswered} from '../grpc/grpc-errors.js';

/** What etcdFailure needs of the client (EtcdClient has it): its endpoints, and where failures are told. */
export interface FailureSink {
  endpoints: string[];
  readonly lastCause?: string;
  noteFailure?(e: UndockError, cause?: string): void;
}

/** Thrown when a read asks for a revision older than the last compaction: the caller reloads at the current one. */
export class EtcdCompactedError extends UndockError {
  readonly revision?: string;
  constructor(revision?: string) {
    super(
      'invalid',
      revision ? `etcd revision ${revision} has been compacted` : 'the requested etcd revision has been compacted',
      'reload at the current revision',
    );
    this.revision = revision;
  }
}

export function isCompactedMessage(message: string): boolean {
  return message.includes('required revision has been compacted');
}

/** One line for the user, with the fix, from whatever etcd3 threw; a failure of the whole client is reported to its listeners (the header). */
export function etcdFailure(e: unknown, client: FailureSink, action: string, where = client.endpoints.join(',')): UndockError {
  if (e instanceof UndockError) return e;
  const err = e instanceof Error ? e : new Error(String(e));
  const failure = describeEtcdError(err, client, action, where);
  // One member's own probe failing (the members view) says nothing about the cluster.
  if (where === client.endpoints.join(',')) client.noteFailure?.(failure, circuitOpen(err) ? undefined : causeOf(failure, err));
  return failure;
}

function circuitOpen(err: Error): boolean {
  return err.name === 'BrokenCircuitError' || /circuit breaker is open/i.test(err.message);
}

/** The cause in a few words, to name later when etcd3's circuit breaker refuses calls without trying. */
function causeOf(failure: UndockError, err: Error): string {
  return failure.kind === 'unavailable' ? grpcCause(detailOf(err)) || failure.message : failure.message;
}

function detailOf(err: Error): string {
  // grpc-js appends name-resolution notes that say nothing to a user.
  return err.message
    .replace(/^\d+ [A-Z_]+: /, '')
    .replace(/^etcdserver: /, '')
    .replace(/\s*Resolution note:.*$/s, '');
}

/** The line for a failure, told to no one (a probe's own reading). */
export function describeEtcdError(err: Error, client: FailureSink, action: string, where = client.endpoints.join(',')): UndockError {
  const detail = detailOf(err);
  const fix = 'is it running? set --etcd-endpoints or ETCDCTL_ENDPOINTS';
  if (isCompactedMessage(err.message)) return new EtcdCompactedError();
  if (circuitOpen(err)) {
    // etcd3 stops trying an endpoint for a while after it failed: say why it failed.
    const cause = client.lastCause;
    return new UndockError('unavailable', `etcd not reachable at ${where} (${action})${cause ? `: ${cause}` : ''}`, fix);
  }
  if (/Protocol error/i.test(detail)) {
    return new UndockError('unavailable', `etcd at ${where} does not speak gRPC (${action})`, 'something else listens there: set --etcd-endpoints or ETCDCTL_ENDPOINTS');
  }
  if (err instanceof GRPCUnavailableError || /^14 UNAVAILABLE/.test(err.message)) {
    const cause = grpcCause(detail);
    return new UndockError('unavailable', `etcd not reachable at ${where} (${action})${cause ? `: ${cause}` : ''}`, fix);
  }
  if (err instanceof GRPCDeadlineExceededError) {
    if (neverAnswered(detail)) {
      return new UndockError('deadline', `etcd at ${where} accepted the connection but never answered (${action})`, 'is it hung, or not etcd? set --etcd-endpoints or ETCDCTL_ENDPOINTS');
    }
    return new UndockError('deadline', `etcd at ${where} did not answer in time (${action})`, 'is the cluster healthy (quorum, leader)?');
  }
  if (err instanceof EtcdPermissionDeniedError) {
    return new UndockError('permission', `etcd refused ${action}: permission denied`, "check the etcd user's roles");
  }
  if (err instanceof GRPCUnauthenticatedError || err instanceof EtcdInvalidAuthTokenError || err instanceof EtcdAuthenticationFailedError) {
    return new UndockError('unauthenticated', `etcd refused ${action}: ${detail}`, 'check the etcd user and password');
  }
  if (err instanceof EtcdLeaseInvalidError) return new UndockError('not-found', `etcd: lease not found (${action})`);
  if (err instanceof GRPCInvalidArgumentError) return new UndockError('invalid', `etcd refused ${action}: ${detail}`);
  return new UndockError('unknown', `etcd: ${action} failed: ${detail}`);
}

