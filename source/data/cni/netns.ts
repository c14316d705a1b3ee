// Named network namespaces as files (like `ip netns add`, but under a folder undock owns): made with unshare, removed with umount.
import {execFile} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {promisify} from 'node:util';
import {UndockError} from '../errors.js';

const run = promisify(execFile);

function why(e: unknown): string {
  const err = e as {stderr?: string; message?: string};
  return (err.stderr || err.message || String(e)).trim().split('\n')[0]!;
}

/** A new network namespace kept alive by a bind mount on `file` (it must not exist yet). */
export async function createNetns(file: string): Promise<void> {
  try {
    fs.mkdirSync(path.dirname(file), {recursive: true, mode: 0o755});
    fs.writeFileSync(file, '', {flag: 'wx', mode: 0o444});
  } catch (e) {
    throw new UndockError('invalid', `cannot create the network namespace file ${file}: ${(e as Error).message}`, 'is another container using this name? remove it first');
  }
  try {
    await run('unshare', [`--net=${file}`, 'true'], {timeout: 10_000});
  } catch (e) {
    fs.rmSync(file, {force: true});
    throw new UndockError('permission', `cannot create a network namespace at ${file}: ${why(e)}`, 'undock must run as root to give a container its own network');
  }
}

function mounted(file: string): boolean {
  try {
    return fs.readFileSync('/proc/self/mounts', 'utf8').split('\n').some((l) => l.split(' ')[1] === file);
  } catch {
    return false;
  }
}

/** Unmounts and removes it; gone already is fine. */
export async function removeNetns(file: string): Promise<void> {
  if (mounted(file)) {
    try {
      await run('umount', [file], {timeout: 10_000});
    } catch (e) {
      throw new UndockError('unknown', `cannot unmount the network namespace ${file}: ${why(e)}`, `unmount it with: umount ${file}`);
    }
  }
  fs.rmSync(file, {force: true});
}
