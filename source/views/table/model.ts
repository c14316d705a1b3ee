import {windowTop} from '../../keys/movement.js';
import {retimeRows, timeIndependent, viewRows, visibleColumns, type RowView} from '../../resources/rows.js';
import type {AnyResource, Column} from '../../resources/types.js';
import type {ResourceState} from '../../store/app-state.js';
import type {AppController} from '../../store/app-store.js';
import type {Frame, ViewModel, ViewSize} from '../../store/frames.js';

export interface TableState {
  resource: string;
  params: Record<string, string>;
  allNamespaces: boolean;
  selected: number;
  top: number;
  filter: string;
  sort: {column: string; descending: boolean};
}

export interface TableModel extends ViewModel {
  resource: AnyResource;
  columns: Column<unknown>[];
  views: RowView[];
  data: ResourceState;
  /** The selection clamped to the rows there are. */
  selected: number;
}

/** Rows of the table's data area: the title and the column header take two lines. */
export function tablePageSize(height: number): number {
  return Math.max(1, height - 2);
}

const cache = new WeakMap<unknown[], {key: string; now: number; columns: Column<unknown>[]; views: RowView[]}>();

/**
 * What the table shows, in order: the keys and the component read this one model, so the row a
 * key acts on is the row on screen (no second copy of the selection).
 */
export function tableModel(app: AppController, frame: Frame<TableState>, size: ViewSize, resource: AnyResource): TableModel {
  const data = app.resourceStore(resource.id).getState();
  const {now} = app.ui.getState();
  const s = frame.state;
  const key = JSON.stringify([s.filter, s.sort, s.allNamespaces]);
  let hit = cache.get(data.rows);
  if (hit && hit.key === key && hit.now !== now && timeIndependent(hit.columns, s)) {
    // The clock moved, nothing else: the same rows in the same order, their ages made again.
    hit = {...hit, now, views: retimeRows(hit.views, hit.columns, now)};
    cache.set(data.rows, hit);
  } else if (!hit || hit.key !== key || hit.now !== now) {
    const columns = visibleColumns(resource, s.allNamespaces);
    hit = {key, now, columns, views: viewRows(resource, data.rows, {filter: s.filter, sort: s.sort, now, columns})};
    cache.set(data.rows, hit);
  }
  const views = hit.views;
  const selected = Math.min(s.selected, Math.max(0, views.length - 1));
  return {
    resource,
    columns: hit.columns,
    views,
    data,
    selected,
    count: views.length,
    pageSize: tablePageSize(size.height),
    rowAt: (i) => views[i]?.row,
    selection: views[selected]?.row,
    onScreen: () => {
      const pageSize = tablePageSize(size.height);
      const top = windowTop(selected, s.top, pageSize, views.length);
      return views.slice(top, top + pageSize).map((v) => v.row);
    },
  };
}

/**
 * When a cell on screen that shows a relative time (AGE, "2m ago") changes its text next: the app's
 * clock sleeps until then, so an idle screen whose ages read minutes wakes once a minute, not every second.
 */
export function tableNextChange(app: AppController, frame: Frame<TableState>, size: ViewSize, resource: AnyResource): number | undefined {
  const model = tableModel(app, frame, size, resource);
  if (!model.data.loaded) return undefined;
  const top = windowTop(model.selected, frame.state.top, model.pageSize, model.views.length);
  // Each view knows when its time cells change next (rows.ts: noted as it is made, at this `now`).
  let next = Infinity;
  for (const v of model.views.slice(top, top + model.pageSize)) next = Math.min(next, v.next ?? Infinity);
  return next === Infinity ? undefined : next;
}

export function newTableState(resource: AnyResource, opts: {params?: Record<string, string>; allNamespaces?: boolean} = {}): TableState {
  return {
    resource: resource.id,
    params: opts.params ?? {},
    allNamespaces: opts.allNamespaces ?? false,
    selected: 0,
    top: 0,
    filter: '',
    sort: {column: resource.defaultSort.column, descending: resource.defaultSort.descending ?? false},
  };
}
