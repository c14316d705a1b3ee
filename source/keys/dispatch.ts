import {findResource, resources} from '../resources/registry.js';
import type {AppController} from '../store/app-store.js';
import fs from 'node:fs';
import path from 'node:path';
import {findBinding, globalBindings, tableBindings, allNamespacesBinding, detailBindings, logBindings, treeBindings} from './bindings.js';
import type {TreeRow} from '../resources/keys/tree-model.js';
import {deleteRow, describeKey, editKey, historyOf, newKey} from '../resources/keys/actions.js';
import {logText} from '../ui/logs.js';
import {windowTop} from '../ui/table.js';
import {errorLine} from '../data/errors.js';
import {splitCommand} from '../resources/words.js';
import type {KeyPress} from './parse.js';

/** What the visible view publishes so keys can move within it without recomputing rows. */
export interface ViewMetrics {
  count: number;
  pageSize: number;
  rowAt: (index: number) => unknown;
}

/** The etcd key tree is a view of its own (not a table resource). */
export const KEY_TREE = ['keys', 'etcd', 'kv', 'keys2'];

export const commandNames = [
  ...resources.filter((r) => !r.nested).flatMap((r) => [r.id, ...r.aliases]),
  ...KEY_TREE,
  'exec',
  'quit',
  'q',
];


/** Completes a command word from the known names (first match, by list order). */
export function completeCommand(input: string): string | undefined {
  const word = input.trimStart();
  if (!word || word.includes(' ')) return undefined;
  return commandNames.find((n) => n.startsWith(word) && n !== word);
}

/** Runs a ":" command line. */
export function runCommand(app: AppController, line: string): void {
  // Shell-like words: `:exec sh -c 'echo hi'` keeps the quoted command together.
  const [cmd = '', ...args] = splitCommand(line.trim());
  if (!cmd) return;
  if (cmd === 'q' || cmd === 'quit' || cmd === 'q!') {
    app.quit();
    return;
  }
  if (cmd === 'exec') {
    runOnSelection(app, 'shell', args);
    return;
  }
  if (KEY_TREE.includes(cmd)) {
    app.openTree(cmd === 'keys2' ? 'v2' : 'v3');
    return;
  }
  const resource = findResource(cmd);
  if (!resource || resource.nested) {
    const names = resources.filter((r) => !r.nested).map((r) => ':' + r.id);
    app.setStatus(`unknown command ":${cmd}" (try ${names.join(', ')}, :q)`, 'error');
    return;
  }
  if (resource.id === 'namespaces') {
    if (args[0]) app.setNamespace(args[0]);
    else app.pushView(resource, {crumb: 'namespaces'});
    return;
  }
  if (args[0] === 'all' && resource.allNamespaces) {
    app.openView(resource, {allNamespaces: true});
    return;
  }
  if (args[0] && args[0] !== 'all') {
    // ":co k8s.io" as in k9s ":pods kube-system": switch namespace, then show the view.
    app.openView(resource);
    app.setNamespace(args[0]);
    return;
  }
  app.openView(resource);
}

/** Runs a resource action on the selected row, as if its key were pressed, with extra words. */
export function runOnSelection(app: AppController, actionId: string, args: string[] = []): void {
  const frame = app.currentFrame();
  // Only a table has rows to act on (the key tree, a log or a describe view have none).
  const action = frame.kind === 'table' ? app.currentResource().actions.find((a) => a.id === actionId) : undefined;
  if (frame.kind !== 'table' || !action) {
    app.setStatus(`:${actionId === 'shell' ? 'exec' : actionId} works on a container row (:co, or a pod's containers)`, 'error');
    return;
  }
  const row = app.selectedRow();
  if (row === undefined) {
    app.setStatus('nothing selected');
    return;
  }
  app.runAsync(action.label, () => action.run(row, {ctx: app.ctx, scope: app.scope(frame), report: (text) => app.ui.setState({busy: text}), args}));
}

/** Routes one key: dialog > form > help > prompt > view. */
export function dispatchKey(app: AppController, view: ViewMetrics, key: KeyPress): void {
  const ui = app.ui.getState();
  if (key.name === 'ctrl+c') {
    app.quit();
    return;
  }
  if (ui.dialog) {
    dialogKey(app, key);
    return;
  }
  if (ui.form) {
    formKey(app, key);
    return;
  }
  if (ui.mode === 'help') {
    if (key.name === 'esc' || key.name === '?' || key.name === 'q' || key.name === 'enter') app.ui.setState({mode: 'table'});
    return;
  }
  if (ui.mode === 'command' || ui.mode === 'filter') {
    promptKey(app, key);
    return;
  }
  const frame = app.currentFrame();
  if (frame.kind === 'detail') {
    detailKey(app, view, key);
    return;
  }
  if (frame.kind === 'logs') {
    logsKey(app, view, key);
    return;
  }
  if (frame.kind === 'tree') {
    treeKey(app, view, key);
    return;
  }
  tableKey(app, view, key);
}

function treeKey(app: AppController, view: ViewMetrics, key: KeyPress): void {
  const frame = app.currentFrame();
  if (frame.kind !== 'tree') return;
  const feed = app.treeFeed(frame.id);
  if (!feed) return;
  const row = view.rowAt(frame.selected) as TreeRow | undefined;
  const b = findBinding(treeBindings, key.name);
  const client = app.ctx.etcd;
  const needsRow = (fn: (r: TreeRow) => void) => (row ? fn(row) : app.setStatus('nothing selected'));
  if (b?.dangerous && app.ctx.config.readonly) {
    app.setStatus(`${b.label} refused: undock runs with --readonly`, 'error');
    return;
  }
  if (frame.api === 'v2' && (b?.dangerous || b?.id === 'history')) {
    app.setStatus(`${b.label}: the v2 keyspace is read-only in undock`, 'error');
    return;
  }
  switch (b?.id) {
    case 'open':
      needsRow((r) => {
        if (!r.folder) app.apply(describeKey(client, r));
        else if (!r.expanded) app.updateTree({expanded: [...frame.expanded, r.path]});
        else if (key.name === 'right') app.updateTree({selected: frame.selected + 1});
        else app.updateTree({expanded: frame.expanded.filter((p) => p !== r.path)});
      });
      return;
    case 'close':
      needsRow((r) => {
        if (r.folder && r.expanded) {
          app.updateTree({expanded: frame.expanded.filter((p) => p !== r.path)});
          return;
        }
        // Up to the folder this row is in.
        for (let i = frame.selected - 1; i >= 0; i--) {
          const up = view.rowAt(i) as TreeRow;
          if (up.folder && up.depth < r.depth) {
            app.updateTree({selected: i});
            return;
          }
        }
      });
      return;
    case 'edit':
      needsRow((r) => (r.folder ? app.setStatus('e edits a key, not a folder') : app.apply(editKey(client, r))));
      return;
    case 'new': {
      // The folder the selection is in (a filtered row carries its full key).
      const folder = !row ? '' : row.folder ? row.path : row.path.slice(0, row.path.lastIndexOf(feed.tree.sep) + 1);
      app.apply(newKey(client, folder));
      return;
    }
    case 'delete':
      needsRow((r) => app.runAsync('counting', () => deleteRow(client, r)));
      return;
    case 'history':
      needsRow((r) => (r.folder ? app.setStatus('h shows the history of a key, not a folder') : app.apply(historyOf(client, r))));
      return;
    case 'reload':
      feed.start('reloaded');
      return;
    default: {
      if (!b) break;
      const selected = move(frame.selected, view, b.id);
      const top = windowTop(selected, frame.top, view.pageSize, view.count);
      if (selected !== frame.selected || top !== frame.top) app.updateTree({selected, top});
      return;
    }
  }
  if (key.name === '/') {
    app.ui.setState({mode: 'filter', input: ''});
    return;
  }
  if (key.name === 'esc') {
    if (frame.filter) app.updateTree({filter: '', selected: 0, top: 0});
    else app.back();
    return;
  }
  globalKey(app, key.name);
}

function logsKey(app: AppController, view: ViewMetrics, key: KeyPress): void {
  const frame = app.currentFrame();
  if (frame.kind !== 'logs') return;
  const feed = app.logFeed(frame.id);
  if (!feed) return;
  const {lines, first} = feed.store.getState();
  const b = findBinding(logBindings, key.name);
  const lastTop = first + Math.max(0, lines.length - view.pageSize);
  // Where the view is now, as a line number, whether following or not.
  const currentTop = frame.follow ? lastTop : frame.top;
  const findMatch = (from: number, step: 1 | -1): number | undefined => {
    const needle = frame.search.toLowerCase();
    if (!needle) return undefined;
    // Start inside the kept lines: a short log does not fill the page.
    for (let seq = Math.max(first, Math.min(first + lines.length - 1, from)); seq >= first && seq < first + lines.length; seq += step) {
      if (logText(lines[seq - first]!, frame.timestamps).toLowerCase().includes(needle)) return seq;
    }
    return undefined;
  };
  const jumpTo = (seq: number | undefined, what: string) => {
    if (seq === undefined) {
      app.setStatus(frame.search ? `no ${what} match for "${frame.search}"` : 'no search: / to search');
      return;
    }
    const top = Math.max(first, Math.min(lastTop, seq - Math.floor(view.pageSize / 2)));
    app.updateLogs({follow: false, top, match: seq});
  };
  switch (b?.id) {
    case 'back':
      app.back();
      return;
    case 'follow':
      app.updateLogs(frame.follow ? {follow: false, top: lastTop} : {follow: true});
      return;
    case 'wrap':
      app.updateLogs({wrap: !frame.wrap});
      return;
    case 'timestamps':
      app.updateLogs({timestamps: !frame.timestamps});
      return;
    case 'search':
      app.ui.setState({mode: 'filter', input: frame.search});
      return;
    case 'next':
      jumpTo(findMatch(frame.match !== undefined ? frame.match + 1 : currentTop, 1), 'later');
      return;
    case 'previous-match':
      jumpTo(findMatch(frame.match !== undefined ? frame.match - 1 : currentTop + view.pageSize - 1, -1), 'earlier');
      return;
    case 'save': {
      const name = `${frame.title.replace(/[^\w.-]+/g, '_')}-${new Date().toISOString().replace(/[:.]/g, '-')}.log`;
      const text = lines.map((l) => logText(l, true)).join('\n') + '\n';
      const target = writeFirst([path.resolve(name), path.join(app.ctx.config.logDir, 'saved', name)], text);
      if (target.ok) app.setStatus(`saved ${lines.length} lines to ${target.path}`);
      else app.setStatus(`could not save the log: ${target.error}`, 'error');
      return;
    }
    case 'previous-attempt': {
      const now = feed.togglePrevious();
      if (now) app.setStatus(`showing ${now}`);
      else app.setStatus('no previous attempt log for this container');
      app.updateLogs({follow: true, match: undefined});
      return;
    }
    default: {
      if (!b) {
        globalKey(app, key.name);
        return;
      }
      // Scrolling: up/page-up/top leave follow mode; reaching the bottom with G follows again.
      if (b.id === 'bottom') {
        app.updateLogs({follow: true});
        return;
      }
      const next = move(currentTop - first, {...view, count: lastTop - first + 1}, b.id) + first;
      app.updateLogs({follow: false, top: next});
    }
  }
}

function writeFirst(paths: string[], text: string): {ok: true; path: string} | {ok: false; error: string} {
  let error = '';
  for (const p of paths) {
    try {
      fs.mkdirSync(path.dirname(p), {recursive: true});
      fs.writeFileSync(p, text);
      return {ok: true, path: p};
    } catch (e) {
      error = errorLine(e);
    }
  }
  return {ok: false, error};
}

function globalKey(app: AppController, name: string): boolean {
  const global = findBinding(globalBindings, name);
  switch (global?.id) {
    case 'quit':
      app.quit();
      return true;
    case 'help':
      app.ui.setState({mode: 'help'});
      return true;
    case 'command':
      app.ui.setState({mode: 'command', input: ''});
      return true;
    default:
      return false;
  }
}

function tableKey(app: AppController, view: ViewMetrics, key: KeyPress): void {
  const frame = app.currentTable();
  const resource = app.currentResource();

  const action = findBinding(resource.actions, key.name);
  if (action) {
    const row = view.rowAt(frame.selected);
    if (row === undefined && !action.noRow) {
      app.setStatus('nothing selected');
      return;
    }
    if (action.disabled) {
      app.setStatus(`${action.label}: ${action.disabled}`, 'error');
      return;
    }
    if (action.dangerous && app.ctx.config.readonly) {
      app.setStatus(`${action.label} refused: undock runs with --readonly`, 'error');
      return;
    }
    const scope = app.scope(frame);
    app.runAsync(action.label, () =>
      action.run(row, {ctx: app.ctx, scope, report: (text) => app.ui.setState({busy: text})}),
    );
    return;
  }

  const nav = findBinding(tableBindings, key.name);
  if (nav) {
    const selected = move(frame.selected, view, nav.id);
    // The window moves with the selection in the same update: one frame per key, not two.
    const top = windowTop(selected, frame.top, view.pageSize, view.count);
    if (selected !== frame.selected || top !== frame.top) app.updateTable({selected, top});
    return;
  }

  const sortCol = resource.columns.find((c) => c.sortKey && c.sortKey === key.name);
  if (sortCol) {
    const descending = frame.sort.column === sortCol.id ? !frame.sort.descending : false;
    app.updateTable({sort: {column: sortCol.id, descending}, selected: 0, top: 0});
    return;
  }

  if (resource.allNamespaces && allNamespacesBinding.keys.includes(key.name)) {
    app.updateTable({allNamespaces: !frame.allNamespaces, selected: 0, top: 0});
    return;
  }

  if (key.name === '/') {
    // A new filter starts empty; the old one stays until the first key replaces it.
    app.ui.setState({mode: 'filter', input: ''});
    return;
  }
  if (key.name === 'esc') {
    if (frame.filter) app.updateTable({filter: '', selected: 0, top: 0});
    else app.back();
    return;
  }
  globalKey(app, key.name);
}

function detailKey(app: AppController, view: ViewMetrics, key: KeyPress): void {
  const frame = app.currentFrame();
  if (frame.kind !== 'detail') return;
  const b = findBinding(detailBindings, key.name);
  if (b?.id === 'back') {
    app.back();
    return;
  }
  if (b?.id === 'toggle-format') {
    app.updateDetail({format: frame.format === 'yaml' ? 'json' : 'yaml', scroll: 0});
    return;
  }
  if (b) {
    // Scrolling moves the first visible line; the last page stays full.
    const maxTop = Math.max(0, view.count - view.pageSize);
    const scroll = Math.min(maxTop, move(frame.scroll, {...view, count: maxTop + 1}, b.id));
    if (scroll !== frame.scroll) app.updateDetail({scroll});
    return;
  }
  globalKey(app, key.name);
}

function dialogKey(app: AppController, key: KeyPress): void {
  const dialog = app.ui.getState().dialog!;
  const close = () => app.ui.setState({dialog: undefined});
  switch (key.name) {
    case 'esc':
    case 'n':
    case 'q':
      close();
      app.setStatus('cancelled');
      return;
    case 'tab':
    case 'shift+tab':
    case 'left':
    case 'right':
    case 'h':
    case 'l':
      app.ui.setState({dialog: {...dialog, focus: dialog.focus === 'cancel' ? 'confirm' : 'cancel'}});
      return;
    case 'y':
      close();
      app.runAsync(dialog.confirmLabel, dialog.run);
      return;
    case 'enter':
      close();
      if (dialog.focus === 'confirm') app.runAsync(dialog.confirmLabel, dialog.run);
      else app.setStatus('cancelled');
      return;
    default:
  }
}

function formKey(app: AppController, key: KeyPress): void {
  const form = app.ui.getState().form!;
  const setField = (value: string) => {
    const fields = form.fields.map((f, i) => (i === form.focus ? {...f, value} : f));
    app.ui.setState({form: {...form, fields}});
  };
  const current = form.fields[form.focus]!;
  switch (key.name) {
    case 'esc':
      app.ui.setState({form: undefined});
      app.setStatus('cancelled');
      return;
    case 'tab':
    case 'down':
      app.ui.setState({form: {...form, focus: (form.focus + 1) % form.fields.length}});
      return;
    case 'shift+tab':
    case 'up':
      app.ui.setState({form: {...form, focus: (form.focus - 1 + form.fields.length) % form.fields.length}});
      return;
    case 'enter': {
      if (form.focus < form.fields.length - 1) {
        app.ui.setState({form: {...form, focus: form.focus + 1}});
        return;
      }
      const values = Object.fromEntries(form.fields.map((f) => [f.id, f.value]));
      app.ui.setState({form: undefined});
      app.runAsync(form.submitLabel, () => form.submit(values));
      return;
    }
    case 'backspace':
      setField(current.value.slice(0, -1));
      return;
    case 'ctrl+u':
      setField('');
      return;
    case 'ctrl+w':
      setField(current.value.replace(/\S*\s*$/, ''));
      return;
    default:
      if (key.text) setField(current.value + key.text);
  }
}

function promptKey(app: AppController, key: KeyPress): void {
  const ui = app.ui.getState();
  const isFilter = ui.mode === 'filter';
  const kind = app.currentFrame().kind;
  const applyFilter = (text: string) => {
    // The filter applies as it is typed, as in k9s; in a log view / searches (highlights) instead.
    if (kind === 'logs') app.updateLogs({search: text, match: undefined});
    else if (kind === 'tree') app.updateTree({filter: text, selected: 0, top: 0});
    else app.updateTable({filter: text, selected: 0, top: 0});
  };
  const setInput = (input: string) => {
    app.ui.setState({input});
    if (isFilter) applyFilter(input);
  };
  switch (key.name) {
    case 'esc':
      app.ui.setState({mode: 'table', input: ''});
      if (isFilter) applyFilter('');
      return;
    case 'enter':
      app.ui.setState({mode: 'table', input: ''});
      if (!isFilter) runCommand(app, ui.input);
      return;
    case 'backspace':
      setInput(ui.input.slice(0, -1));
      return;
    case 'ctrl+u':
      setInput('');
      return;
    case 'ctrl+w':
      setInput(ui.input.replace(/\S*\s*$/, ''));
      return;
    case 'tab':
    case 'right': {
      if (isFilter) return;
      const completion = completeCommand(ui.input);
      if (completion) setInput(completion);
      return;
    }
    default:
      if (key.text) setInput(ui.input + key.text);
  }
}

function move(current: number, view: ViewMetrics, id: string): number {
  const last = Math.max(0, view.count - 1);
  const page = Math.max(1, view.pageSize);
  let next = current;
  switch (id) {
    case 'down':
      next++;
      break;
    case 'up':
      next--;
      break;
    case 'page-down':
      next += page;
      break;
    case 'page-up':
      next -= page;
      break;
    case 'top':
      next = 0;
      break;
    case 'bottom':
      next = last;
      break;
    default:
  }
  return Math.min(last, Math.max(0, next));
}
