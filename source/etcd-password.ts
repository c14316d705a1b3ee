// Where the etcd password comes from, in order: --user name:password (visible to other users: warned
// about), --password-file, ETCDCTL_PASSWORD, else asked for on the terminal, never echoed.
import fs from 'node:fs';
import {TerminalInput, textDecoder} from './terminal/input.js';

export class PasswordError extends Error {}

/** The password in `--user name:password` on the command line: said to be visible, and hidden from process.argv. */
export function warnAboutArgvPassword(argv: string[], warn: (line: string) => void): void {
  const i = argv.findIndex((a, n) => (a === '--user' && argv[n + 1]?.includes(':')) || (a.startsWith('--user=') && a.includes(':')));
  if (i < 0) return;
  warn(
    'a password given with --user name:password is visible to every user of this machine (ps, /proc/PID/cmdline) while undock runs: ' +
      'use --password-file, ETCDCTL_PASSWORD or the prompt instead',
  );
  // Node cannot rewrite /proc/PID/cmdline: this only keeps the password out of what undock itself shows and logs.
  const mask = (s: string) => s.replace(/:.*$/, ':***');
  if (argv[i] === '--user') process.argv[process.argv.indexOf(argv[i + 1]!)] = mask(argv[i + 1]!);
  else process.argv[process.argv.indexOf(argv[i]!)] = mask(argv[i]!);
}

/** The first line of a password file (its newline not part of the password). */
export function readPasswordFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').split(/\r?\n/)[0] ?? '';
  } catch (e) {
    throw new PasswordError(`cannot read --password-file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

async function askPassword(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) throw new PasswordError(`${prompt.trim()} needs a terminal; give it with --password-file or ETCDCTL_PASSWORD`);
  process.stderr.write(prompt);
  // The same reader as the UI's, let go of afterwards: nothing keeps reading the terminal behind undock's back.
  const input = new TerminalInput();
  const decode = textDecoder();
  const password = await new Promise<string>((resolve) => {
    let typed = '';
    input.acquire((data) => {
      for (const ch of decode(data)) {
        if (ch === '\x03') {
          input.release();
          process.stderr.write('\n');
          process.exit(130);
        }
        if (ch === '\r' || ch === '\n') {
          resolve(typed);
          return;
        }
        typed = ch === '\x7f' ? [...typed].slice(0, -1).join('') : typed + ch;
      }
    });
  });
  input.release();
  process.stderr.write('\n');
  return password;
}

/** The password for `user` (undefined without a user, or when `user` carries it as name:password). */
export async function etcdPassword(user: string | undefined, passwordFile: string | undefined, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  if (!user) {
    if (passwordFile) throw new PasswordError('--password-file needs an etcd user: give --user or ETCDCTL_USER');
    return undefined;
  }
  if (user.includes(':')) return undefined;
  if (passwordFile) return readPasswordFile(passwordFile);
  if (env.ETCDCTL_PASSWORD) return env.ETCDCTL_PASSWORD;
  return askPassword(`etcd password for ${user}: `);
}
