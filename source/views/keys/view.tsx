import React, {useEffect, useMemo} from 'react';
import {Box, Text} from 'ink';
import type {KeyTreeState} from './feed.js';
import {shownPreview, type PreviewState} from './feed-preview.js';
import {useStore} from '../../store/store.js';
import {keyParts, type TreeRow} from './tree-model.js';
import {fit, fitParts} from '../../resources/fit.js';
import {safeText, type TextPart} from '../../data/text/sanitize.js';
import {mergeParts, partNodes} from '../../ui/parts.js';
import {formatBytes} from '../../resources/format.js';
import {windowTop} from '../../keys/movement.js';
import {valueLines} from '../../ui/value-lines.js';
import type {Line} from '../../ui/yaml.js';
import {TitleBar} from '../../ui/title-bar.js';
import type {ViewProps} from '../types.js';
import {treeModel, type TreeState} from './model.js';

const selectTree = (s: KeyTreeState) => s;
const selectPreview = (s: PreviewState) => s;

/** A row's cells; the name as sanitised parts (keys are daemon text), the rest plain. */
function rowCells(row: TreeRow, size: number | undefined, filtered: boolean): [TextPart[], ...string[]] {
  const marker = row.folder ? (row.expanded ? '▾ ' : '▸ ') : '  ';
  const name = filtered ? keyParts(row.path) : [{text: '  '.repeat(row.depth) + marker}, ...keyParts(row.name)];
  if (row.folder) return [name, `${row.count} keys`, '', '', '', ''];
  const i = row.info;
  const sizeText = size === undefined ? '…' : size < 0 ? '-' : formatBytes(size);
  return [name, sizeText, String(i?.version ?? ''), String(i?.createRevision ?? ''), String(i?.modRevision ?? ''), i && i.lease !== '0' ? i.lease : ''];
}

const HEADERS = ['KEY', 'SIZE/KEYS', 'VER', 'CREATE', 'MOD', 'LEASE'];
// SIZE/KEYS fits "1000000 keys": a million-key folder shows its count whole.
const FIXED = [12, 5, 8, 8, 16];
/** Beside the preview (which shows all of a key's metadata) the tree keeps the columns that compare keys. */
const NARROW = [0, 1, 2, 4];

/** :keys: the etcd key tree, live, with the selected value decoded beside it. */
export function KeyTreeView({app, frame, width, height}: ViewProps<TreeState>) {
  const model = treeModel(app, frame, {width, height})!;
  const {feed, rows, selected} = model;
  const state = useStore(feed.store, selectTree);
  const stored = useStore(feed.preview, selectPreview);
  const bodyHeight = model.pageSize;
  const top = windowTop(selected, frame.state.top, bodyHeight, rows.length);
  const visible = rows.slice(top, top + bodyHeight);
  const current = rows.at(selected);
  // The preview of the selected leaf, or its name and "loading" until its value is read: drawn in the frame that moves the selection.
  const preview = shownPreview(stored, current && !current.folder ? current.path : undefined);

  useEffect(() => {
    // A cross-link's target, once the tree has it, becomes an ordinary selection (keys move it again).
    if (model.targetFound) app.update(frame, {selected, top, target: undefined});
    else if (selected !== frame.state.selected || top !== frame.state.top) app.update(frame, {selected, top});
  }, [app, frame, selected, top, model.targetFound]);
  useEffect(() => {
    feed.select(current && !current.folder ? current.path : undefined);
    // revealed Secret data is masked again as soon as another row is selected
    if (frame.state.reveal !== undefined && frame.state.reveal !== current?.path) app.update(frame, {reveal: undefined});
  }, [feed, current?.path, current?.folder]);
  // A folder is loaded when opened (also again after a reload), the filter's index when a filter is typed.
  // Every render: a folder under one that just loaded, or all of them after a reload, is loaded next.
  useEffect(() => {
    feed.want(frame.state.expanded);
    if (frame.state.filter) feed.wantIndex();
  });
  useEffect(() => {
    // A leaf scrolled into view without its size reads the next page's too: one read a page of scrolling, not one a row.
    if (visible.some((r) => !r.folder && !feed.sizes.has(r.path))) feed.wantSizes(rows.slice(top, top + 2 * bodyHeight).filter((r) => !r.folder).map((r) => r.path));
  });

  const treeWidth = preview ? Math.max(40, Math.floor(width * 0.55)) : width;
  const previewWidth = width - treeWidth - 1;
  const shown = preview ? NARROW : HEADERS.map((_, i) => i);
  const fixed = shown.slice(1).reduce((a, i) => a + FIXED[i - 1]! + 1, 0);
  const nameWidth = Math.max(12, treeWidth - 1 - fixed);
  const widthOf = (i: number) => (i === 0 ? nameWidth : FIXED[i - 1]!);
  const line = (cells: string[]) => ' ' + shown.map((i) => fit(cells[i]!, widthOf(i), i === 0 ? 'left' : 'right')).join(' ');
  // A filtered row shows its whole key: shortened in the middle, so the last segment stays.
  const rowLine = ([name, ...rest]: [TextPart[], ...string[]]): TextPart[] => [
    {text: ' '},
    ...fitParts(name, nameWidth, 'left', frame.state.filter ? 'middle' : 'end'),
    ...shown.slice(1).map((i) => ({text: ' ' + fit(rest[i - 1]!, widthOf(i), 'right')})),
  ];
  const index = frame.state.filter ? state.index : undefined;
  // Until the filter's index is complete, no match yet is not "no match".
  const listing = Boolean(frame.state.filter) && feed.api === 'v3' && !index?.done;
  const progress = state.loading
    ? ' loading'
    : index && !index.done
      ? ` listing keys to filter ${index.loaded}/${index.total}`
      : state.folderLoads > 0
        ? ' loading folder'
        : '';
  const api = frame.state.api === 'v2' ? 'v2 API, read-only' : `v3 API, rev ${state.revision ?? '?'}`;
  const title = ` etcd keys (${api})${frame.state.filter ? ` </${frame.state.filter}>` : ''} [${feed.total}]${progress} `;
  const now = Date.now();

  return (
    <Box flexDirection="column" height={height}>
      <TitleBar title={title} width={width} />
      {state.message ? <Text color="yellow" wrap="truncate-end"> {state.message}</Text> : null}
      {frame.state.note ? <Text color="yellow" wrap="truncate-end"> {safeText(frame.state.note)}</Text> : null}
      <Box>
        <Box flexDirection="column" width={treeWidth}>
          <Text bold wrap="truncate-end">{line(HEADERS)}</Text>
          {state.error && rows.length === 0 ? <Text color="red" wrap="wrap"> {state.error}</Text> : null}
          {!state.error && !state.loading && !listing && rows.length === 0 ? (
            <Text dimColor> {frame.state.filter ? 'no key matches the filter' : 'no keys'}</Text>
          ) : null}
          {visible.map((row, i) => {
            const isSel = top + i === selected;
            const changedAt = state.changed.get(row.path);
            const fresh = changedAt !== undefined && now - changedAt < 1_500;
            return (
              <TreeLine
                key={row.path}
                inverse={isSel}
                color={isSel ? 'cyan' : fresh ? 'yellow' : row.folder ? 'blue' : undefined}
                parts={mergeParts(rowLine(rowCells(row, feed.sizes.get(row.path), Boolean(frame.state.filter))))}
              />
            );
          })}
        </Box>
        {preview ? (
          <Box flexDirection="column" width={previewWidth} marginLeft={1}>
            <Preview preview={preview} width={previewWidth} height={bodyHeight} reveal={frame.state.reveal !== undefined && frame.state.reveal === preview.key} />
          </Box>
        ) : null}
      </Box>
    </Box>
  );
}

interface TreeLineProps {
  parts: TextPart[];
  inverse: boolean;
  color?: string;
}

const sameParts = (a: TextPart[], b: TextPart[]) => a.length === b.length && a.every((p, i) => p.text === b[i]!.text && p.escape === b[i]!.escape);

/**
 * One tree row. A watch storm redraws the view 30 times a second for a few changed counts, and a key
 * press moves the selection over two rows: rows whose text and colour are unchanged are not rendered again.
 */
const TreeLine = React.memo(
  function TreeLine({parts, inverse, color}: TreeLineProps) {
    return (
      <Text inverse={inverse} color={color} wrap="truncate-end">
        {partNodes(parts)}
      </Text>
    );
  },
  (a, b) => a.inverse === b.inverse && a.color === b.color && sameParts(a.parts, b.parts),
);

/** A line cut to the pane (one char a column at least): Ink need not measure a 16 KiB line to truncate it. */
function clipLine(line: Line, width: number): Line {
  const out: Line = [];
  let room = width + 1;
  for (const seg of line) {
    if (room <= 0) break;
    out.push(seg.text.length > room ? {...seg, text: seg.text.slice(0, room)} : seg);
    room -= seg.text.length;
  }
  return out;
}

function Preview({preview, width, height, reveal}: {preview: PreviewState; width: number; height: number; reveal: boolean}) {
  const lines = useMemo(() => (preview.description ? valueLines(preview.description, {reveal}) : []), [preview.description, reveal]);
  if (preview.loading) {
    // Until the read answers, the key's name and nothing else: never another key's body.
    return (
      <Box flexDirection="column" width={width}>
        <Text bold color="cyan" wrap="truncate-end">{partNodes(keyParts(preview.key ?? ''))}</Text>
        <Text dimColor>loading…</Text>
      </Box>
    );
  }
  const i = preview.info;
  const meta = preview.description
    ? `${formatBytes(preview.description.size)} · ${preview.description.kind} · v${i?.version ?? '?'} · create ${i?.createRevision ?? '?'} · mod ${i?.modRevision ?? '?'}${i && i.lease !== '0' ? ` · lease ${i.lease}` : ''}`
    : '';
  return (
    <Box flexDirection="column" width={width}>
      <Text bold color="cyan" wrap="truncate-end">{partNodes(keyParts(preview.key ?? ''))}</Text>
      <Text dimColor wrap="truncate-end">{meta}</Text>
      {preview.error ? <Text color="red">{preview.error}</Text> : null}
      {lines.slice(0, Math.max(0, height - 2)).map((l, n) => (
        <Text key={n} wrap="truncate-end">
          {clipLine(l, width).map((seg, j) => (
            <Text key={j} color={seg.color} dimColor={seg.escape}>
              {seg.text}
            </Text>
          ))}
        </Text>
      ))}
    </Box>
  );
}
