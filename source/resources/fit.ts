import stringWidth from 'string-width';
import {joinParts, sliceParts, type TextPart} from '../data/text/sanitize.js';
import {isNarrowText} from '../data/text/narrow.js';

// A cell's text fitted to its column's width: cut at whole characters, at the end or in the middle.

let graphemes: Intl.Segmenter | undefined;

/** Up to `room` columns of whole characters from the start of the text, or from its end: how many code units, how many columns. */
function take(text: string, room: number, fromEnd = false): {units: number; used: number} {
  // One unit, one column, one grapheme each (no segmenter, which costs ICU's data at its first use).
  if (isNarrowText(text)) {
    const units = Math.min(text.length, Math.max(0, room));
    return {units, used: units};
  }
  graphemes ??= new Intl.Segmenter();
  const segments = [...graphemes.segment(text)].map((g) => g.segment);
  if (fromEnd) segments.reverse();
  let units = 0;
  let used = 0;
  for (const segment of segments) {
    const g = stringWidth(segment);
    if (used + g > room) break;
    units += segment.length;
    used += g;
  }
  return {units, used};
}

/**
 * How text goes into `width` columns: the code units kept from its start (head) and end (tail),
 * whether an ellipsis stands between them, and the padding on each side.
 */
function layout(text: string, width: number, align: 'left' | 'right', cut: 'end' | 'middle'): {head: number; tail: number; ellipsis: boolean; left: number; right: number} {
  const w = stringWidth(text);
  if (w <= width) return {head: text.length, tail: 0, ellipsis: false, left: align === 'right' ? width - w : 0, right: align === 'right' ? 0 : width - w};
  if (width === 1) {
    const first = take(text, 1);
    return first.used === 1 ? {head: first.units, tail: 0, ellipsis: false, left: 0, right: 0} : {head: 0, tail: 0, ellipsis: true, left: 0, right: 0};
  }
  const room = width - 1;
  if (cut === 'middle' && room >= 4) {
    // The tail tells names apart (pod hashes, the last key segment): it gets the larger half.
    const tail = take(text, Math.ceil(room * 0.6), true);
    const head = take(text, room - tail.used);
    return {head: head.units, tail: tail.units, ellipsis: true, left: 0, right: room - head.used - tail.used};
  }
  const head = take(text, room);
  return {head: head.units, tail: 0, ellipsis: true, left: 0, right: room - head.used};
}

/**
 * The text in exactly `width` terminal columns: padded, or cut at a whole character with an ellipsis
 * (a wide character that would be split is dropped and the gap padded), at the end or, for names
 * and keys, in the middle. At width 1 an ellipsis alone says nothing, so the first character shows
 * if it is one column.
 */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left', cut: 'end' | 'middle' = 'end'): string {
  if (width <= 0) return '';
  const l = layout(text, width, align, cut);
  if (!l.ellipsis && l.head === text.length) return ' '.repeat(l.left) + text + ' '.repeat(l.right);
  return ' '.repeat(l.left) + text.slice(0, l.head) + (l.ellipsis ? '…' : '') + text.slice(text.length - l.tail) + ' '.repeat(l.right);
}

/** fit() for sanitised parts: the same cut, with the escapes kept apart so they can be drawn dimmed. */
export function fitParts(parts: TextPart[], width: number, align: 'left' | 'right' = 'left', cut: 'end' | 'middle' = 'end'): TextPart[] {
  if (width <= 0) return [];
  const joined = joinParts(parts);
  const l = layout(joined, width, align, cut);
  const out: TextPart[] = l.left ? [{text: ' '.repeat(l.left)}] : [];
  out.push(...sliceParts(parts, 0, l.head));
  if (l.ellipsis) out.push({text: '…'});
  if (l.tail) out.push(...sliceParts(parts, joined.length - l.tail));
  if (l.right) out.push({text: ' '.repeat(l.right)});
  return out;
}
