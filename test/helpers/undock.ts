import {after} from 'node:test';
import {PtySession} from './pty.js';
import {sandboxEnv} from './sandbox-env.js';

export interface StartOptions {
  /** Variables on top of the test run's environment (the sandbox's included), e.g. EDITOR. */
  env?: NodeJS.ProcessEnv;
  cols?: number;
  rows?: number;
}

const sessions = new Set<PtySession>();

/**
 * The built undock in a pty, pointed at the test run's sandbox (its containerd socket and etcd
 * endpoints; flags in `args` still win). Every session is remembered, and the ones still running
 * when the test file ends are killed (see stopAll).
 */
export function startUndock(args: string[] = [], opts: StartOptions = {}): PtySession {
  const {address, etcdEndpoints, sandbox} = sandboxEnv();
  const s = new PtySession({
    args,
    cols: opts.cols,
    rows: opts.rows,
    env: {CONTAINERD_ADDRESS: address, ETCDCTL_ENDPOINTS: etcdEndpoints, UNDOCK_SANDBOX: sandbox, ...opts.env},
  });
  sessions.add(s);
  return s;
}

/** Kills every session startUndock started that has not exited. Safe to call more than once. */
export function stopAll(): void {
  for (const s of sessions) s.kill();
  sessions.clear();
}

// Registered when a test file first imports this module, so before the file's own `after` hooks:
// the sessions are gone before a file stops the daemons they talk to.
after(stopAll);
