// An exec process after Start: its exit, and its end on every way out (containerd lost under it, undock quitting).
import type net from 'node:net';
import os from 'node:os';
import {UndockError} from '../errors.js';
import {endedOrStalled, type ExecFifos} from './exec-fifos.js';

// GrpcConnection.unary has no "no deadline"; grpc-js sets no timer beyond 2^31-1 ms (~24.8 days).
const WAIT_FOREVER_MS = 2 ** 31 - 1;
// After the process exits the shim may still be copying its last output into the FIFO: wait while
// that (and the reader) makes progress, up to this long without any.
const OUTPUT_STALL_MS = 2_000;
// After DeleteProcess the shim has closed its ends: what is left is only what the reader has not taken yet.
const READER_STALL_MS = 1_000;
// containerd lost under a running exec: the shim keeps the process alive, so it is killed once
// containerd answers again, asked this often for this long.
const REAP_EVERY_MS = 1_000;
const REAP_FOR_MS = 120_000;
const SIGKILL = os.constants.signals.SIGKILL;

export type ExecCall = (method: string, req: object, deadlineMs?: number) => Promise<{exit_status?: number}>;

export interface ExecLife {
  /** The exit code once the process has exited and its output has been read; rejects when containerd is lost. */
  exited: Promise<number>;
  /** Settles when undock is done with the process: it exited, or was killed (or given up on after containerd stayed away). */
  gone: Promise<void>;
  /** Kills it and cleans up within `budgetMs` (undock exiting): best effort, never throws. */
  end(budgetMs: number): Promise<void>;
}

const isNotFound = (e: unknown) => e instanceof UndockError && e.kind === 'not-found';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms).unref());

export function execLife(call: ExecCall, fifos: ExecFifos, stdout: net.Socket, stderr: net.Socket | undefined): ExecLife {
  let done = false;
  let markGone!: () => void;
  const gone = new Promise<void>((resolve) => (markGone = resolve));
  const finish = async () => {
    if (done) return;
    done = true;
    await fifos.remove();
    markGone();
  };
  const deleteProcess = () => call('DeleteProcess', {}).catch(() => undefined);

  /** Kills the process until containerd takes the order (or says it is gone), then removes it. */
  const reap = async () => {
    for (const until = Date.now() + REAP_FOR_MS; !done && Date.now() < until; await sleep(REAP_EVERY_MS)) {
      const killed = await call('Kill', {signal: SIGKILL, all: false}, 2_000).then(
        () => true,
        (e: unknown) => isNotFound(e),
      );
      if (!killed) continue;
      await call('Wait', {}, 2_000).catch(() => undefined);
      await deleteProcess();
      break;
    }
    await finish();
  };

  const exited = (async () => {
    let exitCode: number;
    try {
      const res = await call('Wait', {}, WAIT_FOREVER_MS);
      exitCode = res.exit_status ?? 0;
    } catch (e) {
      // The shim outlives containerd and keeps the process running: end it when containerd is back.
      void reap();
      // Why containerd is gone is the header's to say; this says what happens to the process.
      throw new UndockError(e instanceof UndockError ? e.kind : 'unavailable', 'containerd went away while the process ran', 'undock kills it as soon as containerd answers again');
    }
    // Wait can answer before the last output is through the FIFO: give the shim time to finish copying,
    // then DeleteProcess (which closes the shim's ends even if a background child holds the output open).
    await Promise.all([endedOrStalled(stdout, OUTPUT_STALL_MS), endedOrStalled(stderr, OUTPUT_STALL_MS)]);
    await deleteProcess();
    await Promise.all([endedOrStalled(stdout, READER_STALL_MS), endedOrStalled(stderr, READER_STALL_MS)]);
    await finish();
    return exitCode;
  })();
  // The caller may never look at exited; a failure there must not become an unhandled rejection.
  exited.catch(() => undefined);

  const end = async (budgetMs: number) => {
    if (done) return;
    const step = Math.max(100, Math.floor(budgetMs / 3));
    await call('Kill', {signal: SIGKILL, all: false}, step).catch(() => undefined);
    await call('Wait', {}, step).catch(() => undefined);
    await call('DeleteProcess', {}, step).catch(() => undefined);
    await finish();
  };
  return {exited, gone, end};
}
