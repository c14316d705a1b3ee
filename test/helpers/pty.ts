import path from 'node:path';
import {fileURLToPath} from 'node:url';
import * as pty from 'node-pty';
import xterm from '@xterm/headless';

const {Terminal} = xterm;

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const cliPath = path.join(repoRoot, 'dist/main.js');

export interface PtyOptions {
  args?: string[];
  env?: NodeJS.ProcessEnv;
  cols?: number;
  rows?: number;
  /** Another build of the CLI (a bench's before and after); dist/main.js unless given. */
  cli?: string;
}

/** The built undock in a real pseudo-terminal, read through a headless terminal emulator. */
export class PtySession {
  readonly term: InstanceType<typeof Terminal>;
  readonly proc: pty.IPty;
  exitCode?: number;
  private exited: Promise<number>;
  private raw = '';

  constructor(opts: PtyOptions = {}) {
    const cols = opts.cols ?? 120;
    const rows = opts.rows ?? 30;
    this.term = new Terminal({cols, rows, allowProposedApi: true});
    this.proc = pty.spawn(process.execPath, [opts.cli ?? cliPath, ...(opts.args ?? [])], {
      name: 'xterm-256color',
      cols,
      rows,
      cwd: repoRoot,
      env: {...process.env, ...opts.env, TERM: 'xterm-256color'} as Record<string, string>,
    });
    this.proc.onData((d) => {
      this.raw += d;
      this.term.write(d);
    });
    this.exited = new Promise((resolve) => {
      this.proc.onExit(({exitCode}) => {
        this.exitCode = exitCode;
        resolve(exitCode);
      });
    });
  }

  /** The visible screen, one string per line, trailing blanks trimmed. */
  screen(): string[] {
    const buf = this.term.buffer.active;
    const lines: string[] = [];
    for (let i = 0; i < this.term.rows; i++) {
      lines.push(buf.getLine(buf.viewportY + i)?.translateToString(true) ?? '');
    }
    return lines;
  }

  text(): string {
    return this.screen().join('\n');
  }

  /** Everything the program wrote, escape sequences included. */
  output(): string {
    return this.raw;
  }

  /** Which screen buffer is showing: undock draws on the alternate one. */
  bufferType(): 'normal' | 'alternate' {
    return this.term.buffer.active.type;
  }

  async waitFor(match: string | RegExp | ((screen: string) => boolean), timeoutMs = 10_000): Promise<string> {
    const test = typeof match === 'function' ? match : (s: string) => (typeof match === 'string' ? s.includes(match) : match.test(s));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await flush(this.term);
      const s = this.text();
      if (test(s)) return s;
      if (Date.now() > deadline) {
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${String(match)}; screen was:\n${s}`);
      }
      if (this.exitCode !== undefined) {
        throw new Error(`undock exited (${this.exitCode}) while waiting for ${String(match)}; screen was:\n${s}`);
      }
      await sleep(50);
    }
  }

  /** Sends keys one write at a time, as a person types. */
  async press(...keys: string[]): Promise<void> {
    for (const k of keys) {
      this.proc.write(KEYS[k] ?? k);
      await sleep(40);
    }
  }

  async type(text: string): Promise<void> {
    for (const ch of text) await this.press(ch);
  }

  resize(cols: number, rows: number): void {
    this.proc.resize(cols, rows);
    this.term.resize(cols, rows);
  }

  async waitExit(timeoutMs = 5_000): Promise<number> {
    const timer = sleep(timeoutMs).then(() => {
      throw new Error(`undock did not exit within ${timeoutMs} ms; screen:\n${this.text()}`);
    });
    return Promise.race([this.exited, timer]);
  }

  kill(): void {
    if (this.exitCode === undefined) this.proc.kill();
  }
}

export const KEYS: Record<string, string> = {
  enter: '\r',
  esc: '\x1b',
  up: '\x1b[A',
  down: '\x1b[B',
  right: '\x1b[C',
  left: '\x1b[D',
  tab: '\t',
  backspace: '\x7f',
  'ctrl+c': '\x03',
  'ctrl+d': '\x04',
  pgdn: '\x1b[6~',
  pgup: '\x1b[5~',
};

function flush(term: InstanceType<typeof Terminal>): Promise<void> {
  return new Promise((resolve) => term.write('', resolve));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
