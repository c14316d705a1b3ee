import {errorLine} from '../data/errors.js';
import {safeText} from '../data/text/sanitize.js';
import type {DataContext, Daemon} from '../resources/types.js';
import type {ConnectionsState} from './app-state.js';
import {AlarmWatch} from './etcd-alarms.js';
import {createStore, shallowEqual, type Store} from './store.js';

// After a failure marks a daemon down, the probe that confirms it (or its recovery) comes this soon.
const CONFIRM_MS = 1_000;
// The first probe comes this long after the first view's rows (at most FIRST_PROBE_CAP_MS after
// start): it builds the CRI and etcd clients (etcd3 alone is ~10 ms), and at a fixed 250 ms from
// start it ran before the rows of a slow start, whose frame then waited for it. A failure still
// brings it forward (markDown).
const FIRST_PROBE_MS = 250;
const FIRST_PROBE_CAP_MS = 1_500;
// A first view whose rows are still out this long after start waits on its daemon (10,000
// containers take ~1.5 s): etcd3's modules, which the first probe needs, load in that wait instead
// of after the rows, when keys are being pressed (a 15-30 ms task there).
const PRELOAD_WHILE_WAITING_MS = 150;

/**
 * What the header says about each daemon: probed rarely while all answer (an idle screen costs next
 * to nothing), often while one is down. Any failed call or lost stream marks its daemon down at
 * once (the data layer tells, see DataContext.onFailure); only a probe says it is back.
 */
export class Health {
  readonly store: Store<ConnectionsState>;
  /** etcd's raised alarms (NOSPACE, CORRUPT), asked while etcd is up. */
  readonly alarms: AlarmWatch;
  private readonly ctx: DataContext;
  private timer?: NodeJS.Timeout;
  private running = false;
  /** Set once the first probe has been sent. */
  private probed = false;
  private probing?: Promise<void>;
  /** Bumped by every start: a first probe planned by an earlier one does nothing. */
  private starts = 0;
  /** Bumped by every markDown: a probe that started before one cannot say the daemon is up. */
  private readonly failures: Record<Daemon, number> = {containerd: 0, cri: 0, etcd: 0};

  constructor(ctx: DataContext) {
    this.ctx = ctx;
    this.store = createStore<ConnectionsState>({
      containerd: {status: 'connecting'},
      cri: {status: 'connecting'},
      etcd: {status: 'connecting'},
    });
    ctx.onFailure?.((daemon, error) => this.markDown(daemon, error));
    this.alarms = new AlarmWatch(ctx, () => this.store.getState().etcd.status === 'up');
  }

  /** Probes now if it has before (a restart after an exec), else FIRST_PROBE_MS after `firstRows`. */
  start(firstRows: Promise<void> = Promise.resolve()): void {
    this.running = true;
    const token = ++this.starts;
    if (this.probed) this.schedule(0);
    else {
      const cap = new Promise<void>((r) => setTimeout(r, FIRST_PROBE_CAP_MS).unref());
      const preload = setTimeout(() => void this.ctx.etcd.preload().catch(() => undefined), PRELOAD_WHILE_WAITING_MS).unref();
      void Promise.race([firstRows, cap]).then(() => {
        clearTimeout(preload);
        if (this.running && token === this.starts && !this.probed) this.schedule(FIRST_PROBE_MS);
      });
    }
    this.alarms.start();
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
    this.alarms.stop();
  }

  markUp(daemon: Daemon): void {
    if (this.probed && this.store.getState()[daemon].status !== 'up') void this.probeOnce();
  }

  /** One probe at a time for markUp's hints (a view that answers again may say so many times). */
  private probeOnce(): Promise<void> {
    this.probing ??= this.probe().finally(() => (this.probing = undefined));
    return this.probing;
  }

  markDown(daemon: Daemon, error: string): void {
    this.failures[daemon]++;
    const c = this.store.getState()[daemon];
    if (c.status !== 'down' || c.error !== error) {
      this.store.setState({[daemon]: {...c, status: 'down', error}} as Partial<ConnectionsState>);
    }
    // Newly down: confirmed (or found back) soon, then every 5 s while down.
    if (c.status !== 'down' && this.running) this.schedule(CONFIRM_MS);
  }

  /**
   * A newer etcd revision seen between probes (the key tree's watch): the header's `rev` follows it
   * at once instead of waiting for the next probe. An older one (a late batch) changes nothing.
   */
  takeEtcdRevision(revision: string): void {
    const etcd = this.store.getState().etcd;
    if (etcd.status !== 'up' || !etcd.version || !/^\d+$/.test(revision)) return;
    const shown = / rev (\d+)$/.exec(etcd.version)?.[1];
    if (shown !== undefined && BigInt(shown) >= BigInt(revision)) return;
    const base = shown === undefined ? etcd.version : etcd.version.slice(0, -` rev ${shown}`.length);
    this.store.setState({etcd: {...etcd, version: `${base} rev ${revision}`}});
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      void this.probe().finally(() => {
        if (!this.running) return;
        const conns = Object.values(this.store.getState());
        this.schedule(conns.every((c) => c.status === 'up') ? 30_000 : 5_000);
      });
    }, delayMs);
    this.timer.unref();
  }

  /** Checks each daemon; the header shows what answered and why the rest did not. */
  async probe(): Promise<void> {
    this.probed = true;
    const {containerd, cri, etcd} = this.ctx;
    const before = {...this.failures};
    const [c, r, e] = await Promise.allSettled([
      containerd.version({deadlineMs: 2_000}),
      cri.version({deadlineMs: 2_000}),
      etcd.version(2_000),
    ]);
    const next: ConnectionsState = {
      containerd: c.status === 'fulfilled' ? {status: 'up', version: safeText(c.value.version)} : {status: 'down', error: errorLine(c.reason)},
      cri:
        r.status === 'fulfilled'
          ? {status: 'up', version: safeText(`${r.value.runtime_name} ${r.value.runtime_version} (${r.value.runtime_api_version})`)}
          : {status: 'down', error: errorLine(r.reason)},
      etcd:
        e.status === 'fulfilled'
          ? {
              status: 'up',
              version: safeText(`${e.value.server} (cluster ${e.value.cluster}) v3 API${e.value.leader ? ` leader ${e.value.leader}` : ' no leader'}${e.value.revision ? ` rev ${e.value.revision}` : ''}`),
            }
          : {status: 'down', error: errorLine(e.reason)},
    };
    // Only what changed is set: an unchanged header is not re-rendered.
    const prev = this.store.getState();
    const patch: Partial<ConnectionsState> = {};
    for (const d of ['containerd', 'cri', 'etcd'] as const) {
      // A call that failed while this probe was out is newer news than the probe's "up".
      if (next[d].status === 'up' && this.failures[d] !== before[d]) continue;
      if (!shallowEqual(prev[d], next[d])) patch[d] = next[d];
    }
    this.store.setState(patch);
    // etcd (back) up: its alarms now, not at the next poll
    if (patch.etcd?.status === 'up') void this.alarms.check();
  }
}
