/**
 * Characters that are one UTF-16 unit, one column wide (ambiguous-width ones counted narrow, as
 * string-width and Ink do), no emoji, and never join a neighbour into one grapheme: printable
 * ASCII, Latin-1 without the soft hyphen, © and ®; dashes, quotes, bullet and ellipsis; ←↑→↓; box
 * drawing and blocks; ▸ ▾ ● ✗ ⟳. A string of only these is as many columns and graphemes as it
 * has units, so it needs no Intl.Segmenter (whose first use loads ICU's break data: 25-30 ms
 * here). test/unit/build/string-width.test.ts checks each one against string-width itself.
 */
export const NARROW_CLASS = '\\u0020-\\u007E\\u00A0-\\u00A8\\u00AA-\\u00AC\\u00AF-\\u00FF\\u2010-\\u2027\\u2190-\\u2193\\u2500-\\u259F\\u25B8\\u25BE\\u25CF\\u2717\\u27F3';

const narrow = new RegExp(`^[${NARROW_CLASS}]*$`);

/** Whether every character of `text` is one of NARROW_CLASS. */
export function isNarrowText(text: string): boolean {
  return narrow.test(text);
}
