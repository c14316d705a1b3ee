import assert from 'node:assert/strict';
import type {PtySession} from './pty.js';

/**
 * Checks for the hostile-data end-to-end test: what undock wrote to the terminal, byte by byte,
 * and how its rows line up on the emulated screen.
 */

/** Strings written as etcd keys and values, container names, labels and log lines. */
export const HOSTILE = {
  osc0: '\x1b]0;PWNED\x07',
  osc52: '\x1b]52;c;aGVsbG8=\x07',
  osc8: '\x1b]8;;http://evil.example/\x1b\\link\x1b]8;;\x1b\\',
  sgr: '\x1b[31mred\x1b[0m',
  bs: 'x\b\b\b\bweb',
  cr: 'over\rwrite',
  nl: 'first\nsecond',
  cjk: '名前-ключ',
  zw: 'zw\u200bweb',
  rtl: 'rtl-\u202egnp.exe',
  c1: 'c1-\u009b2J',
} as const;

/** How undock shows each of them. */
export const SHOWN = {
  osc0: '\\e]0;PWNED\\x07',
  osc52: '\\e]52;c;aGVsbG8=\\x07',
  osc8: '\\e]8;;http://evil.example/\\e\\link\\e]8;;\\e\\',
  sgr: '\\e[31mred\\e[0m',
  bs: 'x\\b\\b\\b\\bweb',
  cr: 'over\\rwrite',
  nl: 'first\\nsecond',
  cjk: '名前-ключ',
  zw: 'zw\\u{200b}web',
  rtl: 'rtl-\\u{202e}gnp.exe',
  c1: 'c1-\\xc2\\x9b2J',
} as const;

/**
 * The escape sequences undock itself writes: SGR colours, cursor movement and erasing (Ink's
 * redraw), cursor show/hide, the alternate screen, synchronized output. Nothing else may appear.
 */
const OWN_CSI = /^\x1b\[(?:[0-9;]*[mABCDEFGHJKSTfd]|\?(?:25|1049|2026|1004|2004)[hl])$/;

/** A piece of raw output for a failure message, every control and invisible character written as \uXXXX. */
function visible(raw: string): string {
  return JSON.stringify(raw).replace(/[\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Every escape sequence and control character in the raw output that undock's own drawing does not explain. */
export function foreignSequences(raw: string): string[] {
  const bad: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 0x1b) {
      const csi = /^\x1b\[[0-?]*[ -/]*[@-~]/.exec(raw.slice(i, i + 64));
      if (csi && OWN_CSI.test(csi[0])) {
        i += csi[0].length - 1;
        continue;
      }
      // OSC (ESC ]), DCS (ESC P), APC (ESC _), PM (ESC ^), SOS (ESC X), or any other sequence.
      bad.push(visible(raw.slice(Math.max(0, i - 20), i + 30)));
      continue;
    }
    const control = (c < 0x20 && c !== 0x0a && c !== 0x0d) || (c >= 0x7f && c <= 0x9f);
    const invisible = /[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/.test(raw[i]!);
    if (control || invisible) bad.push(`U+${c.toString(16).padStart(4, '0')} in ${visible(raw.slice(Math.max(0, i - 20), i + 20))}`);
  }
  return bad;
}

/** The last column of a screen line that holds a visible character (-1 for a blank line). */
export function lastColumn(s: PtySession, y: number): number {
  const buf = s.term.buffer.active;
  const line = buf.getLine(buf.viewportY + y);
  if (!line) return -1;
  for (let x = s.term.cols - 1; x >= 0; x--) {
    const chars = line.getCell(x)?.getChars() ?? '';
    if (chars !== '' && chars !== ' ') return x;
  }
  return -1;
}

/** The character drawn at (x, y) ('' for the right half of a wide character). */
export function charAt(s: PtySession, x: number, y: number): string {
  const buf = s.term.buffer.active;
  return buf.getLine(buf.viewportY + y)?.getCell(x)?.getChars() ?? '';
}

/** Index of the first screen line matching, or -1. */
export function lineIndex(s: PtySession, match: RegExp): number {
  return s.screen().findIndex((l) => match.test(l));
}

/** Asserts the screen shows each of the escaped forms: the absence checks are not passing on a blank screen. */
export function assertShows(screen: string, forms: string[], where: string): void {
  for (const f of forms) assert.ok(screen.includes(f), `${where}: expected ${JSON.stringify(f)} on screen; screen was:\n${screen}`);
}
