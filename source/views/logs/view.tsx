import React from 'react';
import {Box, Text} from 'ink';
import {TitleBar} from '../../ui/title-bar.js';
import {useStore} from '../../store/store.js';
import type {ViewProps} from '../types.js';
import {joinParts, safeText, sliceParts, type TextPart} from '../../data/text/sanitize.js';
import {partNodes} from '../../ui/parts.js';
import {shownLine, type LogFeed, type LogFeedState} from './feed.js';
import type {LogsState} from './model.js';

const selectFeed = (s: LogFeedState) => s;

/** Splits a line into plain and matching pieces for highlighting (case-insensitive). */
export function highlight(text: string, search: string): Array<{text: string; hit: boolean}> {
  if (!search) return [{text, hit: false}];
  const out: Array<{text: string; hit: boolean}> = [];
  const lower = text.toLowerCase();
  const needle = search.toLowerCase();
  let at = 0;
  for (;;) {
    const i = lower.indexOf(needle, at);
    if (i < 0) break;
    if (i > at) out.push({text: text.slice(at, i), hit: false});
    out.push({text: text.slice(i, i + needle.length), hit: true});
    at = i + needle.length;
  }
  if (at < text.length) out.push({text: text.slice(at), hit: false});
  return out;
}

/** A row on screen: which line it is of, and its sanitised text (parts keep the escapes apart). */
export interface LogRow {
  seq: number;
  text: string;
  parts: TextPart[];
}

/** highlight() as [from, to, hit] offsets, to cut the row's parts with. */
function highlightRanges(text: string, search: string): Array<[number, number, boolean]> {
  let at = 0;
  return highlight(text, search).map((p) => [at, (at += p.text.length), p.hit]);
}

/** Cuts a line into rows of the given width (wrap on), never between the halves of a surrogate pair. */
function wrapRows(parts: TextPart[], width: number): Array<{text: string; parts: TextPart[]}> {
  const text = joinParts(parts);
  if (text.length <= width) return [{text, parts}];
  const rows: Array<{text: string; parts: TextPart[]}> = [];
  for (let i = 0; i < text.length; ) {
    let end = Math.min(text.length, i + Math.max(1, width));
    if (end < text.length && end - i > 1 && /[\udc00-\udfff]/.test(text[end]!)) end--;
    rows.push({text: text.slice(i, end), parts: sliceParts(parts, i, end)});
    i = end;
  }
  return rows;
}

/** The visible rows: the last screenful while following, else from the frame's top line. */
export function visibleRows(
  feed: Pick<LogFeedState, 'lines' | 'first'>,
  frame: Pick<LogsState, 'follow' | 'wrap' | 'timestamps' | 'top'>,
  width: number,
  height: number,
): LogRow[] {
  const {lines, first} = feed;
  const rows: LogRow[] = [];
  const cut = (i: number) => {
    const parts = shownLine(lines[i]!, frame.timestamps);
    return frame.wrap ? wrapRows(parts, width) : [{text: joinParts(parts), parts}];
  };
  if (frame.follow) {
    for (let i = lines.length - 1; i >= 0 && rows.length < height; i--) {
      const pieces = cut(i);
      for (let j = pieces.length - 1; j >= 0 && rows.length < height; j--) rows.unshift({seq: first + i, ...pieces[j]!});
    }
    return rows;
  }
  for (let i = Math.max(0, frame.top - first); i < lines.length && rows.length < height; i++) {
    for (const piece of cut(i)) {
      if (rows.length < height) rows.push({seq: first + i, ...piece});
    }
  }
  return rows;
}

/** l logs: the tail of a container's log, followed live, with search highlighting. */
export function Logs({app, frame: {id, state: frame}, width, height}: ViewProps<LogsState>) {
  const feed = app.feed<LogFeed>(id)!;
  const state = useStore(feed.store, selectFeed);
  const bodyHeight = Math.max(1, height - 1);
  const rows = visibleRows(state, frame, width, bodyHeight);
  const stamps = frame.timestamps ? (frame.plain ? 'no timestamps: a plain file log has none' : 'timestamps') : '';
  const flags = [frame.follow ? 'following' : 'paused', frame.wrap ? 'wrap' : '', stamps].filter(Boolean).join(' ');
  const dropped = state.first > 0 ? `, ${state.first} older dropped` : '';
  const title = ` Logs ${frame.title} [${flags}] ${state.lines.length} lines${dropped}${frame.search ? ` </${frame.search}>` : ''} `;
  return (
    <Box flexDirection="column" height={height}>
      <TitleBar title={title} width={width} />
      {state.error ? <Text color="red"> {state.error}</Text> : null}
      {!state.error && state.lines.length === 0 ? <Text dimColor> no log lines yet ({safeText(state.path)})</Text> : null}
      {rows.map((r, i) => (
        <Text key={`${r.seq}:${i}`} wrap="truncate-end" inverse={frame.match === r.seq && !frame.search}>
          {highlightRanges(r.text, frame.search).map(([from, to, hit], j) => (
            <Text key={j}>
              {partNodes(sliceParts(r.parts, from, to), hit ? {backgroundColor: frame.match === r.seq ? 'yellow' : 'gray', color: 'black'} : {})}
            </Text>
          ))}
        </Text>
      ))}
    </Box>
  );
}
