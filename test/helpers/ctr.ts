import {execFileSync} from 'node:child_process';
import {sandboxEnv} from './sandbox-env.js';

/** Runs the real `ctr` against the sandbox: what the daemon holds, told by containerd's own CLI. */
export function ctr(namespace: string, ...args: string[]): string {
  const {address} = sandboxEnv();
  return execFileSync('ctr', ['--address', address, '-n', namespace, ...args], {encoding: 'utf8'});
}

/** Parses `ctr images ls` into rows keyed by its header columns. */
export function ctrImages(namespace: string): Array<Record<string, string>> {
  const lines = ctr(namespace, 'images', 'ls').trimEnd().split('\n');
  const header = lines.shift() ?? '';
  const cols = [...header.matchAll(/\S+/g)].map((m) => ({name: m[0], at: m.index!}));
  return lines.map((line) => {
    const row: Record<string, string> = {};
    cols.forEach((c, i) => {
      row[c.name] = line.slice(c.at, cols[i + 1]?.at ?? line.length).trim();
    });
    return row;
  });
}
