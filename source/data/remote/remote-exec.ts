// A shell in a container of a remote node. containerd's exec takes FIFO paths on the node's own
// file system for the process's terminal, which undock cannot open from here; so the node's own
// `ctr` runs the exec, in a terminal ssh allocates, and ssh is handed the real terminal.
import {randomBytes} from 'node:crypto';
import type {ChildProcess} from 'node:child_process';
import type {SshTunnel} from './ssh-tunnel.js';

export interface RemoteExec {
  namespace: string;
  containerId: string;
  /** The command; empty: bash where the container has it, else sh (decided inside the container). */
  command: string[];
}

/** The words run on the node. */
export function remoteExecCommand(socket: string, e: RemoteExec, execId = `undock-${randomBytes(4).toString('hex')}`): string[] {
  const command = e.command.length ? e.command : ['/bin/sh', '-c', 'if command -v bash >/dev/null 2>&1; then exec bash; else exec sh; fi'];
  return ['ctr', '--address', socket, '--namespace', e.namespace, 'task', 'exec', '--tty', '--exec-id', execId, '--', e.containerId, ...command];
}

/** Starts the exec with the real terminal (stdio inherited: ssh passes keys and window sizes on). */
export function startRemoteExec(tunnel: SshTunnel, e: RemoteExec): ChildProcess {
  return tunnel.run(remoteExecCommand(tunnel.address.socket, e), {tty: true, stdio: 'inherit'});
}
