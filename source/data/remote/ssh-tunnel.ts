// The node's containerd socket forwarded through the system's OpenSSH client (the user's
// ~/.ssh/config, agent and known hosts apply, as for docker's ssh:// hosts). One master connection
// per node carries the socket forward and every later command (a log's tail -F, an exec).
import {spawn, type ChildProcess, type SpawnOptions} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {UndockError} from '../errors.js';
import {shownTarget, sshTarget, type SshAddress} from './ssh-address.js';

export type TunnelState = {status: 'starting'} | {status: 'up'} | {status: 'down'; error: string};

const READY_POLL_MS = 50;
const READY_TIMEOUT_MS = 15_000;
const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 5_000;

/** What the user should run when ssh says why it failed. */
export function sshFix(a: SshAddress, message: string): string {
  const cmd = `ssh ${a.port ? `-p ${a.port} ` : ''}${a.user ? `${a.user}@` : ''}${a.host}`;
  if (/host key verification failed|no .*host key is known/i.test(message)) return `accept the host key first: run ${cmd} once`;
  if (/REMOTE HOST IDENTIFICATION HAS CHANGED/i.test(message)) return `the host key changed: check it, then ssh-keygen -R ${a.host}`;
  if (/permission denied/i.test(message)) return `check the key or agent: ${cmd} must log in without a password prompt`;
  if (/connection refused|no route|timed out|could not resolve|name or service not known|broken pipe|connection closed|closed by remote host|connection reset|disconnect/i.test(message)) return `is sshd running there? try ${cmd}`;
  return `try ${cmd}`;
}

/** The last meaningful line ssh wrote to stderr. */
function lastLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l && !/^Warning: Permanently added/.test(l));
  return (lines.at(-1) ?? '').replace(/\.$/, '');
}

export class SshTunnel {
  readonly address: SshAddress;
  /** The private 0700 folder holding the local socket and the master's control socket. */
  readonly dir: string;
  readonly localSocket: string;
  private readonly control: string;
  private child?: ChildProcess;
  private closed = false;
  private retryMs = RETRY_MIN_MS;
  private retryTimer?: NodeJS.Timeout;
  private readyTimer?: NodeJS.Timeout;
  private stderr = '';
  state: TunnelState = {status: 'starting'};
  private readonly listeners = new Set<(s: TunnelState) => void>();
  private readonly ssh: string;

  constructor(address: SshAddress, opts: {ssh?: string} = {}) {
    this.address = address;
    this.ssh = opts.ssh ?? process.env.UNDOCK_SSH ?? 'ssh';
    // Short: a unix socket path is at most 107 bytes.
    this.dir = fs.mkdtempSync(path.join(process.env.XDG_RUNTIME_DIR && fs.existsSync(process.env.XDG_RUNTIME_DIR) ? process.env.XDG_RUNTIME_DIR : os.tmpdir(), 'ud-ssh-'));
    fs.chmodSync(this.dir, 0o700);
    this.localSocket = path.join(this.dir, 'c.sock');
    this.control = path.join(this.dir, 'ctl');
  }

  onState(listener: (s: TunnelState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(s: TunnelState): void {
    this.state = s;
    for (const l of this.listeners) l(s);
  }

  /** Why the node cannot be reached now, with the fix, when the tunnel is not up. */
  whyDown(): string | undefined {
    if (this.state.status === 'down') return this.state.error;
    if (this.state.status === 'starting') return `connecting to ${shownTarget(this.address)} over ssh`;
    return undefined;
  }

  /** Options every ssh command of this tunnel shares: never a prompt (the terminal is undock's). */
  private common(): string[] {
    return ['-o', 'BatchMode=yes', '-o', 'ConnectTimeout=10', '-o', 'ServerAliveInterval=5', '-o', 'ServerAliveCountMax=2'];
  }

  /** Starts the master and the forward; resolves when the local socket exists, rejects with ssh's message. */
  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      const off = this.onState((s) => {
        if (s.status === 'starting') return;
        off();
        if (s.status === 'up') resolve();
        else reject(new UndockError('unavailable', s.error));
      });
      this.launch();
    });
  }

  private launch(): void {
    if (this.closed) return;
    this.stderr = '';
    fs.rmSync(this.localSocket, {force: true});
    fs.rmSync(this.control, {force: true});
    const args = [
      '-N',
      '-M',
      '-S', this.control,
      '-o', 'ExitOnForwardFailure=yes',
      '-o', 'StreamLocalBindUnlink=yes',
      ...this.common(),
      '-L', `${this.localSocket}:${this.address.socket}`,
      ...sshTarget(this.address),
    ];
    const child = spawn(this.ssh, args, {stdio: ['ignore', 'ignore', 'pipe'], detached: false});
    this.child = child;
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (d: string) => {
      this.stderr = (this.stderr + d).slice(-4096);
    });
    child.on('error', (err) => this.exited(child, `cannot run ${this.ssh}: ${err.message}`));
    child.on('exit', (code, signal) => this.exited(child, lastLine(this.stderr) || `ssh exited (${signal ?? `code ${code}`})`));
    const started = Date.now();
    const poll = () => {
      if (this.child !== child) return;
      if (fs.existsSync(this.localSocket)) {
        this.retryMs = RETRY_MIN_MS;
        this.set({status: 'up'});
        return;
      }
      if (Date.now() - started > READY_TIMEOUT_MS) {
        child.kill('SIGTERM');
        return;
      }
      this.readyTimer = setTimeout(poll, READY_POLL_MS);
    };
    poll();
  }

  private exited(child: ChildProcess, message: string): void {
    if (this.child !== child) return;
    this.child = undefined;
    clearTimeout(this.readyTimer);
    if (this.closed) return;
    const error = `${message}: ${sshFix(this.address, message)}`;
    this.set({status: 'down', error});
    // The node may come back (sshd restarted, network back): try again, backing off.
    this.retryTimer = setTimeout(() => this.launch(), this.retryMs);
    this.retryTimer.unref();
    this.retryMs = Math.min(RETRY_MAX_MS, this.retryMs * 2);
  }

  /** A command on the node over the master connection (a log's tail -F, an exec's ctr). */
  run(command: string[], opts: {tty?: boolean} & Pick<SpawnOptions, 'stdio'> = {}): ChildProcess {
    if (this.state.status !== 'up') throw new UndockError('unavailable', this.whyDown() ?? `ssh to ${shownTarget(this.address)} is not up`);
    const args = ['-S', this.control, ...this.common(), ...(opts.tty ? ['-tt'] : ['-T']), ...sshTarget(this.address), ...command.map(shellQuote)];
    return spawn(this.ssh, args, {stdio: opts.stdio ?? ['ignore', 'pipe', 'pipe']});
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.readyTimer);
    const child = this.child;
    this.child = undefined;
    if (child && child.exitCode === null) child.kill('SIGTERM');
    fs.rmSync(this.dir, {recursive: true, force: true});
  }
}

/** ssh joins its command words with spaces for the remote shell: each word is quoted for it. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
