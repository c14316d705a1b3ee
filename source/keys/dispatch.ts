import {findResource, resources} from '../resources/registry.js';
import type {AppController} from '../store/app-store.js';
import {errorLine} from '../data/errors.js';
import {findBinding, globalBindings, tableBindings} from './bindings.js';
import type {KeyPress} from './parse.js';

/** What the visible table publishes so keys can move within it without recomputing rows. */
export interface TableView {
  count: number;
  pageSize: number;
  rowAt: (index: number) => unknown;
}

export const commandNames = [
  ...resources.flatMap((r) => [r.id, ...r.aliases]),
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
  const [cmd = '', ...args] = line.trim().split(/\s+/);
  if (!cmd) return;
  if (cmd === 'q' || cmd === 'quit' || cmd === 'q!') {
    app.quit();
    return;
  }
  const resource = findResource(cmd);
  if (!resource) {
    app.setStatus(`unknown command ":${cmd}" (try ${resources.map((r) => ':' + r.id).join(', ')}, :q)`, 'error');
    return;
  }
  if (resource.id === 'namespaces' && args[0]) {
    app.setNamespace(args[0]);
    return;
  }
  if (resource.id === 'namespaces') app.pushView(resource);
  else app.openView(resource);
}

/** Routes one key: help > prompt > pane > global. */
export function dispatchKey(app: AppController, table: TableView, key: KeyPress): void {
  const ui = app.ui.getState();
  if (ui.mode === 'help') {
    if (key.name === 'esc' || key.name === '?' || key.name === 'q' || key.name === 'enter') app.ui.setState({mode: 'table'});
    else if (key.name === 'ctrl+c') app.quit();
    return;
  }
  if (ui.mode === 'command' || ui.mode === 'filter') {
    promptKey(app, key);
    return;
  }
  const frame = app.currentFrame();
  const resource = app.currentResource();

  const action = findBinding(resource.actions, key.name) as (typeof resource.actions)[number] | undefined;
  if (action) {
    const row = table.rowAt(frame.selected);
    if (row === undefined) {
      app.setStatus('nothing selected');
      return;
    }
    Promise.resolve()
      .then(() => action.run(row, app.ctx))
      .then((result) => {
        if (result.kind === 'set-namespace') app.setNamespace(result.namespace);
        else if (result.kind === 'status') app.setStatus(result.text, result.level);
      })
      .catch((err) => app.setStatus(errorLine(err), 'error'));
    return;
  }

  const nav = findBinding(tableBindings, key.name);
  if (nav) {
    moveSelection(app, table, nav.id);
    return;
  }

  const sortCol = resource.columns.find((c) => c.sortKey && c.sortKey === key.name);
  if (sortCol) {
    const descending = frame.sort.column === sortCol.id ? !frame.sort.descending : false;
    app.updateFrame({sort: {column: sortCol.id, descending}, selected: 0, top: 0});
    return;
  }

  const global = findBinding(globalBindings, key.name);
  switch (global?.id) {
    case 'quit':
      app.quit();
      return;
    case 'help':
      app.ui.setState({mode: 'help'});
      return;
    case 'command':
      app.ui.setState({mode: 'command', input: ''});
      return;
    case 'filter':
      app.ui.setState({mode: 'filter', input: frame.filter});
      return;
    case 'back':
      if (frame.filter) app.updateFrame({filter: '', selected: 0, top: 0});
      else app.back();
      return;
    default:
  }
}

function promptKey(app: AppController, key: KeyPress): void {
  const ui = app.ui.getState();
  const isFilter = ui.mode === 'filter';
  const setInput = (input: string) => {
    app.ui.setState({input});
    // The filter applies as it is typed, as in k9s.
    if (isFilter) app.updateFrame({filter: input, selected: 0, top: 0});
  };
  switch (key.name) {
    case 'esc':
      app.ui.setState({mode: 'table', input: ''});
      if (isFilter) app.updateFrame({filter: '', selected: 0, top: 0});
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
    case 'ctrl+c':
      app.quit();
      return;
    default:
      if (key.text) setInput(ui.input + key.text);
  }
}

function moveSelection(app: AppController, table: TableView, id: string): void {
  const frame = app.currentFrame();
  const last = Math.max(0, table.count - 1);
  const page = Math.max(1, table.pageSize);
  let selected = frame.selected;
  switch (id) {
    case 'down':
      selected++;
      break;
    case 'up':
      selected--;
      break;
    case 'page-down':
      selected += page;
      break;
    case 'page-up':
      selected -= page;
      break;
    case 'top':
      selected = 0;
      break;
    case 'bottom':
      selected = last;
      break;
    default:
  }
  selected = Math.min(last, Math.max(0, selected));
  if (selected !== frame.selected) app.updateFrame({selected});
}

