import {execFileSync} from 'node:child_process';
import {Etcd3} from 'etcd3';
import type {PtySession} from './pty.js';
import {sandboxEnv} from './sandbox-env.js';

/**
 * The environment etcdctl needs for the given endpoints (the sandbox's by default). etcdctl 3.4
 * refuses a flag that a variable also sets, so endpoints always go in the variable.
 */
export function etcdctlEnv(endpoints = sandboxEnv().etcdEndpoints): NodeJS.ProcessEnv {
  return {...process.env, ETCDCTL_API: '3', ETCDCTL_ENDPOINTS: endpoints};
}

/** Runs the real `etcdctl` against the sandbox: what etcd holds, told by etcd's own CLI. */
export function etcdctl(...args: string[]): string {
  return execFileSync('etcdctl', args, {encoding: 'utf8', env: etcdctlEnv()});
}

/** Runs the real `etcdctl` against other endpoints (a test's own etcd). */
export function etcdctlAt(endpoints: string | string[], ...args: string[]): string {
  return execFileSync('etcdctl', args, {encoding: 'utf8', env: etcdctlEnv([endpoints].flat().join(','))});
}

/** Every key starting with prefix, as `etcdctl get --prefix --keys-only` lists them (non-empty lines). */
export function etcdKeys(prefix: string): string[] {
  return etcdctl('get', '--prefix', '--keys-only', prefix)
    .split('\n')
    .filter((line) => line !== '');
}

export interface EtcdctlKv {
  value: Buffer;
  version: number;
  modRevision: number;
}

/** One key as `etcdctl get -w json` reports it, or undefined when etcd does not hold it. */
export function etcdGet(key: string): EtcdctlKv | undefined {
  // Revisions and versions fit a double; lease IDs would not, so they are not read from here.
  const out = JSON.parse(etcdctl('get', '-w', 'json', key)) as {kvs?: Array<{value?: string; version: number; mod_revision: number}>};
  const kv = out.kvs?.[0];
  if (!kv) return undefined;
  return {value: Buffer.from(kv.value ?? '', 'base64'), version: kv.version, modRevision: kv.mod_revision};
}

/** The value of a key as text, or undefined when etcd does not hold it. */
export function etcdValue(key: string): string | undefined {
  return etcdGet(key)?.value.toString('utf8');
}

let client: Etcd3 | undefined;

/** Writes keys with the etcd3 client (binary values, many keys at once), as a program would. */
export async function putKeys(entries: Array<[key: string | Buffer, value: string | Buffer]>): Promise<void> {
  client ??= new Etcd3({hosts: sandboxEnv().etcdEndpoints.split(','), dialTimeout: 3_000});
  const etcd = client;
  await Promise.all(entries.map(([key, value]) => etcd.put(key).value(value)));
}

export function closeEtcdClient(): void {
  client?.close();
  client = undefined;
}

/** The tree rows on screen: the lines under the ` KEY` header, up to the crumbs line at the bottom. */
function treeLines(s: PtySession): Array<{index: number; text: string}> {
  const lines = s.screen();
  const header = lines.findIndex((l) => /^ KEY\s+SIZE/.test(l));
  if (header < 0) return [];
  const out: Array<{index: number; text: string}> = [];
  for (let i = header + 1; i < lines.length; i++) {
    if (/^ <\w/.test(lines[i]!)) break;
    out.push({index: i, text: lines[i]!});
  }
  return out;
}

/** What a tree row shows as its name: "registry/" for a folder, "hello" for a key, the full key when filtered. */
export function treeRowName(line: string): string {
  return /^\s*(?:[▸▾]\s)?(\S+)/.exec(line)?.[1] ?? '';
}

/** The tree row drawn inverse: the selection. */
export function selectedTreeLine(s: PtySession): {index: number; text: string} | undefined {
  const buf = s.term.buffer.active;
  return treeLines(s).find(({index}) => {
    const line = buf.getLine(buf.viewportY + index);
    return Boolean(line?.getCell(1)?.isInverse());
  });
}

/** The tree line whose row name is `name` (the first one), if it is on screen. */
export function treeLine(s: PtySession, name: string): string | undefined {
  return treeLines(s).find((l) => treeRowName(l.text) === name)?.text;
}

/** Moves the selection with up/down, one key at a time, onto the row named `name`. */
export async function selectTreeRow(s: PtySession, name: string): Promise<void> {
  for (let step = 0; step < 200; step++) {
    await s.waitFor(() => selectedTreeLine(s) !== undefined);
    const selected = selectedTreeLine(s)!;
    if (treeRowName(selected.text) === name) return;
    const target = treeLines(s).find((l) => treeRowName(l.text) === name);
    if (!target) throw new Error(`no tree row named ${name}; screen was:\n${s.text()}`);
    await s.press(target.index > selected.index ? 'down' : 'up');
    await s.waitFor(() => selectedTreeLine(s)?.index !== selected.index);
  }
  throw new Error(`could not select ${name}; screen was:\n${s.text()}`);
}

/** The tree's title says it is still reading: the root level, a folder being opened, or the filter's keys. */
const TREE_LOADING = /etcd keys[^\n]* (loading|listing keys)/;

/**
 * Opens folders one after the other ("/", "registry/", ...) and leaves the last one selected. A
 * folder is read from etcd when opened: each is waited for until the title no longer says loading.
 */
export async function openTreeFolders(s: PtySession, ...folders: string[]): Promise<void> {
  for (const folder of folders) {
    await s.waitFor((text) => !TREE_LOADING.test(text));
    await selectTreeRow(s, folder);
    await s.press('enter');
    await s.waitFor((text) => selectedTreeLine(s)?.text.includes(`▾ ${folder}`) === true && !TREE_LOADING.test(text));
  }
}
