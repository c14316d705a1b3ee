// What `run` adds around the container for nerdctl's flags: its own network (-p), a TTY (-it), restart on exit.
import path from 'node:path';
import {UndockError} from '../errors.js';
import {attachNetwork, CNI_LABEL, detachNetwork, type NetworkList} from '../cni/network.js';
import type {PortMapping} from '../cni/ports.js';
import {RESTART_LOG_URI_LABEL, RESTART_STATUS_LABEL} from './restart-policy.js';
import {prepareTty, removeTty, TTY_LABEL, ttyFolder, type TtyPaths} from './tty.js';

export interface UndoStep {
  what: string;
  run: () => Promise<unknown>;
}

export interface ExtrasOptions {
  ports?: PortMapping[];
  /** Join this CNI network in the container's own network namespace, instead of the host's network. */
  cni?: {network: NetworkList; pluginDirs: string[]};
  /** Where the network namespace and the TTY FIFOs go (config runDir). */
  runDir?: string;
  /** A TTY on stdin and stdout, kept for `attach` (as `nerdctl run -it`). */
  tty?: boolean;
  /** containerd's restart monitor starts the task again whenever it has exited. */
  restart?: boolean;
}

/** Refuses combinations that cannot work, before anything is made. */
export function checkExtras(name: string, o: ExtrasOptions): void {
  if (o.ports?.length && !o.cni) throw new UndockError('invalid', `run ${name}: published ports need the container's own network, not the host's`, 'set network to cni');
  if ((o.cni || o.tty) && !o.runDir) throw new UndockError('invalid', `run ${name}: no folder for the network namespace and TTY (UNDOCK_RUN_DIR)`);
  // The monitor creates the new task with a log or no IO, never a terminal: runc would refuse the spec.
  if (o.tty && o.restart) throw new UndockError('invalid', `run ${name}: restart on exit is not available with a TTY (containerd's restart monitor starts tasks without a terminal)`, 'choose restart no, or mode detached');
}

export interface Network {
  netnsPath: string;
  ip?: string;
  labels: Record<string, string>;
}

/** The container's network namespace, attached to the CNI network with its ports; undone by DEL. */
export async function setUpNetwork(ns: string, id: string, o: ExtrasOptions, undo: UndoStep[]): Promise<Network | undefined> {
  if (!o.cni) return undefined;
  const netnsPath = path.join(path.resolve(o.runDir!), 'netns', `${ns}-${id}`);
  const a = await attachNetwork({containerId: `${ns}-${id}`, netns: netnsPath, ports: o.ports ?? [], network: o.cni.network, pluginDirs: o.cni.pluginDirs});
  undo.push({what: `release the network of ${id} (CNI DEL)`, run: () => detachNetwork(a, o.cni!.pluginDirs)});
  const label = JSON.stringify(a);
  if (Buffer.byteLength(label) > 4000) throw new UndockError('invalid', `the network list ${a.network.name} is too large to keep in the ${CNI_LABEL} label`, 'use a smaller conflist');
  return {netnsPath, ip: a.ip, labels: {[CNI_LABEL]: label}};
}

export function setUpTty(ns: string, id: string, o: ExtrasOptions, undo: UndoStep[]): {paths: TtyPaths; labels: Record<string, string>} | undefined {
  if (!o.tty) return undefined;
  const dir = ttyFolder(o.runDir!, ns, id);
  const paths = prepareTty(dir);
  undo.push({what: `remove ${dir}`, run: async () => removeTty(dir)});
  return {paths, labels: {[TTY_LABEL]: dir}};
}

/** Set once the task runs: were the monitor to see it earlier, it would start a task of its own meanwhile. */
export function restartLabels(logUri: string): Record<string, string> {
  return {[RESTART_STATUS_LABEL]: 'running', [RESTART_LOG_URI_LABEL]: logUri};
}
