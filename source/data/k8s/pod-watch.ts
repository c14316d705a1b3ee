// Every Pod the API stores, kept current: one paged range of /registry/pods/ with values, then a
// watch from its revision + 1 (nothing missed or doubled between the two), as the key tree does.
import type {EtcdClient} from '../etcd/client.js';
import {rangeKeys, type KeyValue} from '../etcd/keys.js';
import {watchPrefix} from '../etcd/watch.js';
import {errorLine} from '../errors.js';
import type {ApiPod} from './drift.js';
import {apiPodOf, PODS_PREFIX} from './links.js';

const RETRY_MS = 2_000;
/** Watch events come in bursts (a Deployment scaled): one change call per burst. */
const COALESCE_MS = 10;

/** Why the Pods cannot be read: etcd's failure, not the runtime's (the header marks etcd). */
export class PodWatchError extends Error {
  readonly daemon = 'etcd' as const;
}

export class ApiPodWatch {
  /** key -> the Pod stored there (values that are not readable Pods are left out). */
  readonly pods = new Map<string, ApiPod>();
  private readonly client: EtcdClient;
  private readonly onChange: () => void;
  private watch?: {close(): void};
  private abort?: AbortController;
  private retry?: NodeJS.Timeout;
  private coalesce?: NodeJS.Timeout;
  private stopped = false;
  private loaded = false;
  private error?: string;
  private waiters: Array<{resolve: () => void; reject: (e: Error) => void}> = [];

  constructor(client: EtcdClient, onChange: () => void) {
    this.client = client;
    this.onChange = onChange;
  }

  start(): void {
    this.stopped = false;
    this.abort?.abort();
    this.watch?.close();
    const abort = new AbortController();
    this.abort = abort;
    rangeKeys(this.client, PODS_PREFIX, {keysOnly: false, signal: abort.signal}).then(
      ({revision, keys}) => {
        if (abort.signal.aborted) return;
        this.pods.clear();
        for (const k of keys as KeyValue[]) this.set(k.key, k.value);
        this.loaded = true;
        this.error = undefined;
        this.settle();
        this.changed();
        this.watch = watchPrefix(this.client, PODS_PREFIX, (BigInt(revision) + 1n).toString(), {
          onEvents: (events) => {
            for (const e of events) {
              if (e.type === 'put' && e.value) this.set(e.key, e.value);
              else this.pods.delete(e.key.toString('utf8'));
            }
            this.changed();
          },
          onCompacted: () => this.start(),
          onError: (e) => this.fail(errorLine(e)),
        });
      },
      (err) => !abort.signal.aborted && this.fail(errorLine(err)),
    );
  }

  /** Resolves once the Pods are loaded; rejects with what failed while etcd cannot be read. */
  ready(): Promise<void> {
    if (this.loaded && !this.error) return Promise.resolve();
    if (this.error) return Promise.reject(new PodWatchError(this.error));
    return new Promise((resolve, reject) => this.waiters.push({resolve, reject}));
  }

  stop(): void {
    this.stopped = true;
    this.abort?.abort();
    this.watch?.close();
    clearTimeout(this.retry);
    clearTimeout(this.coalesce);
  }

  private set(key: Buffer, value: Buffer): void {
    const k = key.toString('utf8');
    const pod = apiPodOf(k, value);
    if (pod) this.pods.set(k, pod);
    else this.pods.delete(k);
  }

  private fail(error: string): void {
    this.error = `etcd: ${error} (the drift check reads the Pods in /registry/pods/)`;
    this.settle();
    this.changed();
    if (this.stopped) return;
    clearTimeout(this.retry);
    this.retry = setTimeout(() => !this.stopped && this.start(), RETRY_MS);
    this.retry.unref();
  }

  private settle(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) {
      if (this.error) w.reject(new PodWatchError(this.error));
      else w.resolve();
    }
  }

  private changed(): void {
    if (this.coalesce || this.stopped) return;
    this.coalesce = setTimeout(() => {
      this.coalesce = undefined;
      if (!this.stopped) this.onChange();
    }, COALESCE_MS);
    this.coalesce.unref();
  }
}
