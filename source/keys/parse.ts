/** One key press, named the way bindings name keys: "j", "G", "enter", "esc", "up", "ctrl+c", "pgdn". */
export interface KeyPress {
  name: string;
  /** The printable text of the key, '' for named keys. */
  text: string;
}

/** What the terminal reports when it gets or loses the focus (see terminal/screen.ts). */
export const FOCUS_IN = 'focus-in';
export const FOCUS_OUT = 'focus-out';

const CSI: Record<string, string> = {
  A: 'up',
  B: 'down',
  C: 'right',
  D: 'left',
  H: 'home',
  F: 'end',
  Z: 'shift+tab',
  '1~': 'home',
  '4~': 'end',
  '7~': 'home',
  '8~': 'end',
  '2~': 'insert',
  '3~': 'delete',
  '5~': 'pgup',
  '6~': 'pgdn',
};

const CONTROL: Record<number, string> = {
  0x0d: 'enter',
  0x0a: 'enter',
  0x09: 'tab',
  0x7f: 'backspace',
  0x08: 'backspace',
  0x1b: 'esc',
  0x00: 'ctrl+space',
};

/**
 * Splits what the terminal delivered in one read into key presses: keys typed fast, pasted, or
 * written by a test in one write arrive as one chunk ("jjj", "\x1b[B\x1b[B").
 */
export function parseKeys(chunk: string): KeyPress[] {
  const keys: KeyPress[] = [];
  let i = 0;
  while (i < chunk.length) {
    const c = chunk[i]!;
    const code = c.charCodeAt(0);
    if (c === '\x1b') {
      const next = chunk[i + 1];
      if (next === '[' || next === 'O') {
        let j = i + 2;
        while (j < chunk.length && /[0-9;[]/.test(chunk[j]!)) j++;
        const body = chunk.slice(i + 2, j + 1);
        const params = body.replace(/^\[/, '');
        const final = params.slice(-1);
        // Focus reports (CSI I, CSI O, while mode ?1004 is on) are events, not keys.
        if (next === '[' && (params === 'I' || params === 'O')) {
          keys.push({name: params === 'I' ? FOCUS_IN : FOCUS_OUT, text: ''});
          i = j + 1;
          continue;
        }
        const mods = /;(\d)/.exec(params);
        let name = CSI[params] ?? CSI[final] ?? CSI[params.replace(/;\d/, '')] ?? `unknown(${body})`;
        if (mods && mods[1] === '2') name = `shift+${name}`;
        else if (mods && mods[1] === '5') name = `ctrl+${name}`;
        keys.push({name, text: ''});
        i = j + 1;
        continue;
      }
      if (next && next.charCodeAt(0) >= 0x20 && next !== '\x7f') {
        keys.push({name: `alt+${next}`, text: ''});
        i += 2;
        continue;
      }
      keys.push({name: 'esc', text: ''});
      i++;
      continue;
    }
    if (CONTROL[code]) {
      keys.push({name: CONTROL[code]!, text: ''});
      i++;
      continue;
    }
    if (code < 0x20) {
      keys.push({name: `ctrl+${String.fromCharCode(code + 0x60)}`, text: ''});
      i++;
      continue;
    }
    const cp = chunk.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    keys.push({name: ch, text: ch});
    i += ch.length;
  }
  return keys;
}
