import React, {useEffect, useMemo} from 'react';
import {Box, Text} from 'ink';
import type {AppController, TreeFrame} from '../store/app-store.js';
import type {KeyTreeState, PreviewState} from '../store/key-tree-feed.js';
import {useStore} from '../store/store.js';
import {displayKey, type TreeRow} from '../resources/keys/tree-model.js';
import {fit} from '../resources/rows.js';
import {formatBytes} from '../resources/format.js';
import {windowTop} from './table.js';
import {valueLines} from './value-lines.js';
import {TitleBar, type ViewProps} from './title-bar.js';

const selectTree = (s: KeyTreeState) => s;
const selectPreview = (s: PreviewState) => s;

/** The rows the tree shows: the open folders' children, or, with a filter, every matching key. */
export function treeRows(app: AppController, frame: TreeFrame): TreeRow[] {
  const feed = app.treeFeed(frame.id);
  if (!feed) return [];
  return frame.filter ? feed.tree.search('', frame.filter) : feed.tree.flatten('', new Set(frame.expanded));
}

function rowCells(row: TreeRow, size: number | undefined, filtered: boolean): string[] {
  const marker = row.folder ? (row.expanded ? '▾ ' : '▸ ') : '  ';
  const name = filtered ? displayKey(row.path) : '  '.repeat(row.depth) + marker + displayKey(row.name);
  if (row.folder) return [name, `${row.count} keys`, '', '', '', ''];
  const i = row.info;
  const sizeText = size === undefined ? '…' : size < 0 ? '-' : formatBytes(size);
  return [name, sizeText, String(i?.version ?? ''), String(i?.createRevision ?? ''), String(i?.modRevision ?? ''), i && i.lease !== '0' ? i.lease : ''];
}

const HEADERS = ['KEY', 'SIZE/KEYS', 'VER', 'CREATE', 'MOD', 'LEASE'];
const FIXED = [11, 5, 8, 8, 16];
/** Beside the preview (which shows all of a key's metadata) the tree keeps the columns that compare keys. */
const NARROW = [0, 1, 2, 4];

/** :keys: the etcd key tree, live, with the selected value decoded beside it. */
export function KeyTreeView({app, frame, width, height, metricsRef}: ViewProps<TreeFrame>) {
  const feed = app.treeFeed(frame.id)!;
  const state = useStore(feed.store, selectTree);
  const preview = useStore(feed.preview, selectPreview);
  // The tree's version changes with every load page and watch batch: rows are recomputed then only.
  // Moving the selection makes a new frame object: rows depend only on what is open and the filter.
  const rows = useMemo(() => treeRows(app, frame), [app, frame.id, frame.expanded, frame.filter, state.version]);
  const bodyHeight = Math.max(1, height - 2);
  metricsRef.current = {count: rows.length, pageSize: bodyHeight, rowAt: (i) => rows[i]};
  const selected = Math.min(frame.selected, Math.max(0, rows.length - 1));
  const top = windowTop(selected, frame.top, bodyHeight, rows.length);
  const visible = rows.slice(top, top + bodyHeight);
  const current = rows[selected];

  useEffect(() => {
    if (selected !== frame.selected || top !== frame.top) app.updateTree({selected, top});
  }, [app, selected, top, frame.selected, frame.top]);
  useEffect(() => {
    feed.select(current && !current.folder ? current.path : undefined);
  }, [feed, current?.path, current?.folder]);
  useEffect(() => {
    feed.wantSizes(visible.filter((r) => !r.folder).map((r) => r.path));
  });

  const treeWidth = preview.key ? Math.max(40, Math.floor(width * 0.55)) : width;
  const previewWidth = width - treeWidth - 1;
  const shown = preview.key ? NARROW : HEADERS.map((_, i) => i);
  const fixed = shown.slice(1).reduce((a, i) => a + FIXED[i - 1]! + 1, 0);
  const nameWidth = Math.max(12, treeWidth - 1 - fixed);
  const widthOf = (i: number) => (i === 0 ? nameWidth : FIXED[i - 1]!);
  const line = (cells: string[]) => ' ' + shown.map((i) => fit(cells[i]!, widthOf(i), i === 0 ? 'left' : 'right')).join(' ');
  const progress = state.loading ? ` loading ${state.loaded}/${state.total}` : '';
  const api = frame.api === 'v2' ? 'v2 API, read-only' : `v3 API, rev ${state.revision ?? '?'}`;
  const title = ` etcd keys (${api})${frame.filter ? ` </${frame.filter}>` : ''} [${feed.tree.size}]${progress} `;
  const now = Date.now();

  return (
    <Box flexDirection="column" height={height}>
      <TitleBar title={title} width={width} />
      {state.message ? <Text color="yellow" wrap="truncate-end"> {state.message}</Text> : null}
      <Box>
        <Box flexDirection="column" width={treeWidth}>
          <Text bold wrap="truncate-end">{line(HEADERS)}</Text>
          {state.error && rows.length === 0 ? <Text color="red" wrap="wrap"> {state.error}</Text> : null}
          {!state.error && !state.loading && rows.length === 0 ? (
            <Text dimColor> {frame.filter ? 'no key matches the filter' : 'no keys'}</Text>
          ) : null}
          {visible.map((row, i) => {
            const isSel = top + i === selected;
            const changedAt = state.changed.get(row.path);
            const fresh = changedAt !== undefined && now - changedAt < 1_500;
            return (
              <Text key={row.path} inverse={isSel} color={isSel ? 'cyan' : fresh ? 'yellow' : row.folder ? 'blue' : undefined} wrap="truncate-end">
                {line(rowCells(row, feed.sizes.get(row.path), Boolean(frame.filter)))}
              </Text>
            );
          })}
        </Box>
        {preview.key ? (
          <Box flexDirection="column" width={previewWidth} marginLeft={1}>
            <Preview preview={preview} width={previewWidth} height={bodyHeight} />
          </Box>
        ) : null}
      </Box>
    </Box>
  );
}

function Preview({preview, width, height}: {preview: PreviewState; width: number; height: number}) {
  const lines = useMemo(() => (preview.description ? valueLines(preview.description) : []), [preview.description]);
  const i = preview.info;
  const meta = preview.description
    ? `${formatBytes(preview.description.size)} · ${preview.description.kind} · v${i?.version ?? '?'} · create ${i?.createRevision ?? '?'} · mod ${i?.modRevision ?? '?'}${i && i.lease !== '0' ? ` · lease ${i.lease}` : ''}`
    : '';
  return (
    <Box flexDirection="column" width={width}>
      <Text bold color="cyan" wrap="truncate-end">{displayKey(preview.key ?? '')}</Text>
      <Text dimColor wrap="truncate-end">{meta}</Text>
      {preview.loading ? <Text dimColor>loading…</Text> : null}
      {preview.error ? <Text color="red">{preview.error}</Text> : null}
      {lines.slice(0, Math.max(0, height - 2)).map((l, n) => (
        <Text key={n} wrap="truncate-end">
          {l.map((seg, j) => (
            <Text key={j} color={seg.color}>
              {seg.text}
            </Text>
          ))}
        </Text>
      ))}
    </Box>
  );
}
