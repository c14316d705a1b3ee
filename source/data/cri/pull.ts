import type {ContainerdClient} from '../containerd/client.js';
import type {CriClient} from './client.js';

const CONTENT_PROTO = 'containerd/services/content/v1/content.proto';
const CONTENT = 'containerd.services.content.v1.Content';
/** containerd's CRI plugin keeps its images and content in this namespace. */
const CRI_NAMESPACE = 'k8s.io';
const POLL_MS = 100;
const POLL_DEADLINE_MS = 2_000;

export interface PullLayerProgress {
  /** containerd's ingest ref, e.g. "layer-sha256:…" or "manifest-sha256:…". */
  ref: string;
  offset: number;
  total: number;
}

export interface PullProgress {
  layers: PullLayerProgress[];
  bytes: number;
  total: number;
  done: boolean;
}

export interface PullOptions {
  /** Stops progress polling and rejects at once. The daemon finishes the pull it started (see below). */
  signal?: AbortSignal;
  /** PullImage's deadline; default 10 minutes. */
  deadlineMs?: number;
  pollMs?: number;
}

interface PbStatus {
  ref: string;
  offset: string;
  total: string;
}

interface Ingest {
  offset: number;
  total: number;
}

/**
 * Pulls an image through CRI while reporting progress. CRI PullImage is unary and says nothing
 * until it is done, so this polls containerd's in-progress ingests (Content.ListStatuses in
 * namespace k8s.io) meanwhile. An ingest disappears from that list when its blob is committed, so
 * a ref seen and then gone counts as complete: bytes only grow. Ingests of other pulls at the same
 * time are reported too (containerd does not say whose they are); ingests that were there before
 * this pull and do not move (left over by an interrupted pull) are not. Blobs the node already has
 * are never fetched and so never show. Progress is best effort: if the content service cannot be
 * read (CRI on another socket than containerd), the pull still runs and only the final report comes.
 * On success the last report has done: true; on failure the promise rejects and no done report comes.
 */
export async function pullImage(
  cri: CriClient,
  containerd: ContainerdClient,
  ref: string,
  onProgress: (p: PullProgress) => void,
  opts: PullOptions = {},
): Promise<{imageRef: string}> {
  opts.signal?.throwIfAborted();
  // Under --readonly the connection refuses PullImage before it is sent: no polling for that.
  if (cri.conn.readonly) return cri.pullImage(ref);
  const ingests = new Map<string, Ingest>();
  const listStatuses = async (): Promise<PbStatus[]> => {
    const res = await containerd.conn.unary<object, {statuses: PbStatus[]}>(
      CONTENT_PROTO,
      CONTENT,
      'ListStatuses',
      {filters: []},
      {namespace: CRI_NAMESPACE, deadlineMs: POLL_DEADLINE_MS},
    );
    return res.statuses;
  };

  let progressWorks = true;
  const stale = new Map<string, number>();
  try {
    for (const s of await listStatuses()) stale.set(s.ref, Number(s.offset));
  } catch {
    progressWorks = false;
  }

  let last = '';
  const report = (done: boolean): void => {
    const layers = [...ingests].map(([r, i]) => ({ref: r, offset: i.offset, total: i.total}));
    const p: PullProgress = {
      layers,
      bytes: layers.reduce((n, l) => n + l.offset, 0),
      total: layers.reduce((n, l) => n + l.total, 0),
      done,
    };
    const key = JSON.stringify(p);
    if (key === last) return;
    last = key;
    onProgress(p);
  };

  const absorb = (statuses: PbStatus[]): void => {
    const present = new Set<string>();
    for (const s of statuses) {
      const offset = Number(s.offset);
      if (stale.get(s.ref) === offset) continue;
      stale.delete(s.ref);
      present.add(s.ref);
      const prev = ingests.get(s.ref);
      ingests.set(s.ref, {offset: Math.max(offset, prev?.offset ?? 0), total: Number(s.total)});
    }
    for (const [r, i] of ingests) {
      if (!present.has(r)) i.offset = Math.max(i.offset, i.total);
    }
  };

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> = Promise.resolve();
  const pollMs = opts.pollMs ?? POLL_MS;
  const poll = (): void => {
    inFlight = listStatuses().then(
      (statuses) => {
        if (stopped) return;
        absorb(statuses);
        report(false);
      },
      () => {
        // One slow or failed poll is no reason to stop the pull; the next one may work.
      },
    );
    void inFlight.then(() => {
      if (!stopped) timer = setTimeout(poll, pollMs);
    });
  };
  const stop = async (): Promise<void> => {
    stopped = true;
    if (timer) clearTimeout(timer);
    await inFlight;
  };

  report(false);
  // GrpcConnection.unary takes no AbortSignal, so an abort cannot cancel the call: it only stops
  // waiting. The daemon completes (or times out) the pull on its own.
  const pull = cri.pullImage(ref, {deadlineMs: opts.deadlineMs});
  if (progressWorks) timer = setTimeout(poll, pollMs);
  try {
    const result = await abortable(pull, opts.signal);
    await stop();
    for (const i of ingests.values()) i.offset = Math.max(i.offset, i.total);
    report(true);
    return result;
  } catch (err) {
    await stop();
    throw err;
  }
}

function abortable<T>(p: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return p;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, {once: true});
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
