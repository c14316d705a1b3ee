// JSON checked and re-indented in one pass, without building the value: iterative (no recursion to
// overflow), with an output budget (work stops growing once the budget is spent) and a depth past
// which nesting is written compactly (16,000 nested arrays once cost 1 GB of indentation).

export interface JsonScanOptions {
  indent?: number;
  /** Nesting deeper than this is written on one line, without indentation. */
  maxIndentDepth?: number;
  /** Characters of pretty text produced at most; the rest is only checked. */
  maxChars?: number;
}

export interface JsonScan {
  /** The text is one well-formed JSON document (as JSON.parse would accept it). */
  valid: boolean;
  /** The deepest nesting of arrays and objects. */
  depth: number;
  /** The pretty text, or its start when `truncated`; numbers are kept exactly as written. */
  text: string;
  truncated: boolean;
}

const enum Want {
  Value,
  Key,
  Colon,
  Next,
}

const HEX4 = /[0-9a-fA-F]{4}/y;

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** The end of the number starting at `i` (JSON's grammar: no leading zeros, no bare dot), or -1. */
function numberEnd(s: string, i: number): number {
  let j = i;
  if (s.charCodeAt(j) === 0x2d) j++;
  const first = s.charCodeAt(j);
  if (first === 0x30) j++;
  else if (first > 0x30 && first <= 0x39) while (isDigit(s.charCodeAt(++j)));
  else return -1;
  if (s.charCodeAt(j) === 0x2e) {
    if (!isDigit(s.charCodeAt(++j))) return -1;
    while (isDigit(s.charCodeAt(++j)));
  }
  const e = s.charCodeAt(j);
  if (e === 0x65 || e === 0x45) {
    const sign = s.charCodeAt(++j);
    if (sign === 0x2b || sign === 0x2d) j++;
    if (!isDigit(s.charCodeAt(j))) return -1;
    while (isDigit(s.charCodeAt(++j)));
  }
  return j;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** The end (after the closing quote) of the string starting at `i`, or -1 when it is not a valid JSON string. */
function stringEnd(s: string, i: number): number {
  for (let j = i + 1; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c === 0x22) return j + 1;
    if (c < 0x20) return -1;
    if (c === 0x5c) {
      const e = s.charCodeAt(++j);
      if (e === 0x75) {
        HEX4.lastIndex = j + 1;
        if (!HEX4.test(s)) return -1;
        j += 4;
      } else if (!'"\\/bfnrt'.includes(s[j] ?? 'x')) return -1;
    }
  }
  return -1;
}

/**
 * The rest of a document from `i`, checked only: the same grammar as scanJson with nothing written.
 * Whitespace and the separator after a value are taken in the same step as the value.
 */
function checkRest(s: string, i: number, stack0: Uint8Array, depth: number, want: Want, deepest: number): {deepest: number} | undefined {
  let stack = stack0;
  const n = s.length;
  let c = 0;
  for (;;) {
    // skip whitespace
    while (i < n && ((c = s.charCodeAt(i)) === 0x20 || c === 0x0a || c === 0x0d || c === 0x09)) i++;
    if (i >= n) return depth === 0 && want === Want.Next ? {deepest} : undefined;
    if (want === Want.Next) {
      if (depth === 0) return undefined;
      if (c === 0x2c) {
        want = stack[depth - 1] === 1 ? Want.Key : Want.Value;
        i++;
        continue;
      }
      if (c !== (stack[depth - 1] === 1 ? 0x7d : 0x5d)) return undefined;
      depth--;
      i++;
      continue;
    }
    if (want === Want.Colon) {
      if (c !== 0x3a) return undefined;
      want = Want.Value;
      i++;
      continue;
    }
    if (want === Want.Key) {
      if (c !== 0x22) return undefined;
      i = stringEnd(s, i);
      if (i < 0) return undefined;
      want = Want.Colon;
      continue;
    }
    if (c === 0x7b || c === 0x5b) {
      const close = c === 0x7b ? 0x7d : 0x5d;
      let j = i + 1;
      let d = 0;
      while (j < n && ((d = s.charCodeAt(j)) === 0x20 || d === 0x0a || d === 0x0d || d === 0x09)) j++;
      if (d === close) {
        // an empty one is a value, not a level (as scanJson counts it)
        want = Want.Next;
        i = j + 1;
        continue;
      }
      if (depth === stack.length) stack = doubled(stack);
      stack[depth++] = c === 0x7b ? 1 : 2;
      if (depth > deepest) deepest = depth;
      want = c === 0x7b ? Want.Key : Want.Value;
      i = j;
      continue;
    }
    if (c >= 0x30 && c <= 0x39) {
      // digits: the common case, inline (a leading zero must stand alone)
      const lead = c;
      while (i < n && (c = s.charCodeAt(++i)) >= 0x30 && c <= 0x39 && lead !== 0x30);
      if (lead === 0x30 && c >= 0x30 && c <= 0x39) return undefined;
      if (c === 0x2e || c === 0x65 || c === 0x45) {
        // a fraction or exponent: back to its start and the full check
        let j = i - 1;
        while (j > 0 && s.charCodeAt(j - 1) >= 0x30 && s.charCodeAt(j - 1) <= 0x39) j--;
        if (s.charCodeAt(j - 1) === 0x2d) j--;
        i = numberEnd(s, j);
        if (i < 0) return undefined;
      }
    } else if (c === 0x22) i = stringEnd(s, i);
    else if (c === 0x74) i = s.startsWith('true', i) ? i + 4 : -1;
    else if (c === 0x66) i = s.startsWith('false', i) ? i + 5 : -1;
    else if (c === 0x6e) i = s.startsWith('null', i) ? i + 4 : -1;
    else i = numberEnd(s, i);
    if (i < 0) return undefined;
    want = Want.Next;
  }
}

/** Checks `s` as JSON and pretty-prints it within the budget (see JsonScanOptions). */
export function scanJson(s: string, opts: JsonScanOptions = {}): JsonScan {
  const indent = opts.indent ?? 2;
  const maxIndent = opts.maxIndentDepth ?? 64;
  const maxChars = opts.maxChars ?? Infinity;
  const pads: string[] = [];
  const out: string[] = [];
  let outLen = 0;
  let full = maxChars <= 0;
  const emit = (t: string) => {
    out.push(t);
    outLen += t.length;
    full = outLen >= maxChars;
  };
  const pad = (d: number) => (d <= maxIndent ? (pads[d] ??= '\n' + ' '.repeat(d * indent)) : '');

  // 1: object, 2: array, one byte a level, grown as needed
  let stack = new Uint8Array(64);
  let depth = 0;
  let deepest = 0;
  let want: Want = Want.Value;
  const bad = (): JsonScan => ({valid: false, depth: deepest, text: '', truncated: false});

  let i = 0;
  let fullAt = -1;
  while (i < s.length) {
    if (full) {
      // The budget is spent: the rest is only checked, in a tighter loop.
      fullAt = i;
      const rest = checkRest(s, i, stack, depth, want, deepest);
      if (!rest) return bad();
      deepest = rest.deepest;
      depth = 0;
      want = Want.Next;
      break;
    }
    const c = s.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (want === Want.Colon) {
      if (c !== 0x3a) return bad();
      if (!full) emit(depth <= maxIndent ? ': ' : ':');
      want = Want.Value;
      i++;
      continue;
    }
    if (want === Want.Next) {
      if (depth === 0) return bad(); // something after the document
      const inObject = stack[depth - 1] === 1;
      if (c === 0x2c) {
        if (!full) emit(',' + pad(depth));
        want = inObject ? Want.Key : Want.Value;
        i++;
        continue;
      }
      if (c !== (inObject ? 0x7d : 0x5d)) return bad();
      depth--;
      if (!full) emit(pad(depth) + s[i]);
      i++;
      continue;
    }
    if (want === Want.Key) {
      if (c !== 0x22) return bad();
      const end = stringEnd(s, i);
      if (end < 0) return bad();
      if (!full) emit(s.slice(i, end));
      want = Want.Colon;
      i = end;
      continue;
    }
    // a value
    if (c === 0x7b || c === 0x5b) {
      const close = c === 0x7b ? 0x7d : 0x5d;
      let j = i + 1;
      while (j < s.length && isSpace(s.charCodeAt(j))) j++;
      if (s.charCodeAt(j) === close) {
        if (!full) emit(c === 0x7b ? '{}' : '[]');
        want = Want.Next;
        i = j + 1;
        continue;
      }
      if (depth === stack.length) stack = doubled(stack);
      stack[depth++] = c === 0x7b ? 1 : 2;
      if (depth > deepest) deepest = depth;
      if (!full) emit(s[i] + pad(depth));
      want = c === 0x7b ? Want.Key : Want.Value;
      i++;
      continue;
    }
    let end: number;
    if (c === 0x22) end = stringEnd(s, i);
    else if (c === 0x74) end = s.startsWith('true', i) ? i + 4 : -1;
    else if (c === 0x66) end = s.startsWith('false', i) ? i + 5 : -1;
    else if (c === 0x6e) end = s.startsWith('null', i) ? i + 4 : -1;
    else end = numberEnd(s, i);
    if (end < 0) return bad();
    if (!full) emit(s.slice(i, end));
    want = Want.Next;
    i = end;
  }
  if (depth !== 0 || want !== Want.Next) return bad();
  // Cut, unless the budget ran out on the very last piece (which may go past maxChars: the caller
  // cuts the text to its byte budget).
  let truncated = false;
  for (let j = fullAt; j >= 0 && j < s.length && !truncated; j++) truncated = !isSpace(s.charCodeAt(j));
  return {valid: true, depth: deepest, text: out.join(''), truncated};
}

/** The nesting stack, twice as long, with what it held (both the check and the printer grow it). */
function doubled(stack: Uint8Array): Uint8Array<ArrayBuffer> {
  const grown = new Uint8Array(stack.length * 2);
  grown.set(stack);
  return grown;
}
