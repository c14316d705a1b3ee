// Running one CNI plugin binary as libcni does: the command and the container in the environment, the network config on stdin.
import {execFile} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {UndockError} from '../errors.js';

// The bridge plugin waits for the veth's IPv6 DAD, host-local takes a file lock: a few seconds on a busy node.
const PLUGIN_TIMEOUT_MS = 30_000;

export interface PluginCall {
  command: 'ADD' | 'DEL';
  containerId: string;
  netns: string;
  ifname: string;
  /** Folders searched for the plugin binary, in order. */
  pluginDirs: string[];
}

/** The plugin's binary in the first folder that has it. */
export function findPlugin(type: string, dirs: string[]): string {
  if (!/^[a-zA-Z0-9_.-]+$/.test(type)) throw new UndockError('invalid', `CNI plugin type "${type}" is not a plain name`);
  for (const d of dirs) {
    const file = path.join(d, type);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch {
      // the next folder
    }
  }
  throw new UndockError('not-found', `no CNI plugin "${type}" in ${dirs.join(':')}`, 'install containernetworking-plugins or set UNDOCK_CNI_PATH');
}

/** Runs the plugin and parses what it prints (a result for ADD, nothing for DEL); a CNI error becomes one line. */
export function execPlugin(call: PluginCall, config: object): Promise<unknown> {
  const type = (config as {type?: string}).type ?? '';
  const binary = findPlugin(type, call.pluginDirs);
  const env = {
    PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin',
    CNI_COMMAND: call.command,
    CNI_CONTAINERID: call.containerId,
    CNI_NETNS: call.netns,
    CNI_IFNAME: call.ifname,
    CNI_PATH: call.pluginDirs.join(':'),
  };
  return new Promise((resolve, reject) => {
    const child = execFile(binary, [], {env, timeout: PLUGIN_TIMEOUT_MS, maxBuffer: 1 << 20}, (err, stdout, stderr) => {
      const out = stdout.trim();
      let parsed: unknown;
      try {
        parsed = out ? JSON.parse(out) : undefined;
      } catch {
        parsed = undefined;
      }
      if (err) {
        const cniError = parsed as {msg?: string; details?: string} | undefined;
        const why = cniError?.msg ? `${cniError.msg}${cniError.details ? `: ${cniError.details}` : ''}` : (stderr.trim() || err.message).split('\n')[0];
        reject(new UndockError('unknown', `CNI ${type} ${call.command} for ${call.containerId} failed: ${why}`));
        return;
      }
      resolve(parsed);
    });
    child.stdin?.end(JSON.stringify(config));
  });
}
