import {listAlarms, type EtcdAlarm} from '../data/etcd/alarms.js';
import type {DataContext} from '../resources/types.js';
import {createStore, type Store} from './store.js';

/** How often alarms are asked while etcd answers: one small local Status call, nothing drawn unless they change. */
export const ALARM_POLL_MS = 10_000;

export interface AlarmState {
  alarms: EtcdAlarm[];
}

function sameAlarms(a: EtcdAlarm[], b: EtcdAlarm[]): boolean {
  return a.length === b.length && a.every((x, i) => x.alarm === b[i]!.alarm && x.memberId === b[i]!.memberId);
}

/**
 * etcd's raised alarms for the header. etcd has no alarm watch, so: a Status call every 10 s
 * while etcd is up (alarms ride on its `errors`), at once when a write fails for space or
 * corruption, and when undock disarms one. The store changes only when the set of alarms does.
 */
export class AlarmWatch {
  readonly store: Store<AlarmState> = createStore<AlarmState>({alarms: []});
  private readonly ctx: DataContext;
  private readonly isUp: () => boolean;
  private timer?: NodeJS.Timeout;
  private running = false;
  private checking = false;
  private unsubscribe?: () => void;

  constructor(ctx: DataContext, isUp: () => boolean) {
    this.ctx = ctx;
    this.isUp = isUp;
  }

  start(): void {
    this.running = true;
    this.unsubscribe ??= this.ctx.onEtcdAlarmHint?.(() => void this.check());
    this.schedule(0);
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  /** Asks now (one call at a time); a failure keeps what was shown: the header says etcd is down. */
  async check(): Promise<void> {
    if (this.checking || !this.isUp()) return;
    this.checking = true;
    try {
      const alarms = await listAlarms(this.ctx.etcd, 3_000);
      if (!sameAlarms(alarms, this.store.getState().alarms)) this.store.setState({alarms});
    } catch {
      // etcd down or refusing: the connection line says so; the alarms are asked again next time
    } finally {
      this.checking = false;
    }
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      void this.check().finally(() => {
        if (this.running) this.schedule(ALARM_POLL_MS);
      });
    }, delayMs);
    this.timer.unref();
  }
}
