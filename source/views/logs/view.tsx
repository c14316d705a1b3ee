import React from 'react';
import {Box, Text} from 'ink';
import {TitleBar} from '../../ui/title-bar.js';
import {useStore} from '../../store/store.js';
import type {ViewProps} from '../types.js';
import {logText, type LogFeed, type LogFeedState} from './feed.js';
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

/** Cuts a line into rows of the given width (wrap on). */
function wrapRows(text: string, width: number): string[] {
  if (text.length <= width) return [text];
  const rows: string[] = [];
  for (let i = 0; i < text.length; i += width) rows.push(text.slice(i, i + width));
  return rows;
}

/** The visible rows: the last screenful while following, else from the frame's top line. */
export function visibleRows(
  feed: Pick<LogFeedState, 'lines' | 'first'>,
  frame: Pick<LogsState, 'follow' | 'wrap' | 'timestamps' | 'top'>,
  width: number,
  height: number,
): Array<{seq: number; text: string}> {
  const {lines, first} = feed;
  const rows: Array<{seq: number; text: string}> = [];
  if (frame.follow) {
    for (let i = lines.length - 1; i >= 0 && rows.length < height; i--) {
      const text = logText(lines[i]!, frame.timestamps);
      const parts = frame.wrap ? wrapRows(text, width) : [text];
      for (let j = parts.length - 1; j >= 0 && rows.length < height; j--) rows.unshift({seq: first + i, text: parts[j]!});
    }
    return rows;
  }
  for (let i = Math.max(0, frame.top - first); i < lines.length && rows.length < height; i++) {
    const text = logText(lines[i]!, frame.timestamps);
    for (const part of frame.wrap ? wrapRows(text, width) : [text]) {
      if (rows.length < height) rows.push({seq: first + i, text: part});
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
      {!state.error && state.lines.length === 0 ? <Text dimColor> no log lines yet ({state.path})</Text> : null}
      {rows.map((r, i) => (
        <Text key={`${r.seq}:${i}`} wrap="truncate-end" inverse={frame.match === r.seq && !frame.search}>
          {highlight(r.text, frame.search).map((p, j) => (
            <Text key={j} backgroundColor={p.hit ? (frame.match === r.seq ? 'yellow' : 'gray') : undefined} color={p.hit ? 'black' : undefined}>
              {p.text}
            </Text>
          ))}
        </Text>
      ))}
    </Box>
  );
}
