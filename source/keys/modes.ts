import type {AppController} from '../store/app-store.js';
import type {Binding} from './bindings.js';
import {completeCommand, runCommand} from './commands.js';
import type {KeyPress} from './parse.js';
import {editText, textEditBindings} from './text-edit.js';

/** A binding of a mode (dialog, form, prompt, the global keys): its handler gets the app and the key. */
export interface ModeBinding extends Binding {
  run: (app: AppController, key: KeyPress) => void;
}

/** Typing into a text input is not one key: it is listed once in help, handled by `editText`. */
export const TYPING: Binding = {id: 'type', keys: ['<text>'], label: 'type text'};

function currentView(app: AppController) {
  const frame = app.currentFrame();
  return {frame, view: app.views.find(frame.view)};
}

/** Applies `/` text to the view as it is typed, as k9s does (a log view searches instead). */
function applyFilter(app: AppController, text: string): void {
  const {frame, view} = currentView(app);
  if (view?.filter) app.update(frame, view.filter.set(frame.state, text) as object);
}

/** Keys that work in every view (a view's own binding of the same key wins). */
export const globalBindings: ModeBinding[] = [
  {id: 'command', keys: [':'], label: 'command', hint: true, run: (app) => app.setMode('command')},
  {
    id: 'filter',
    keys: ['/'],
    label: 'filter',
    hint: true,
    run: (app) => {
      const {frame, view} = currentView(app);
      if (!view?.filter) return;
      // A new filter starts empty (the old one stays until the first key replaces it); a log search is kept to edit.
      app.setMode('filter', view.filter.prefill ? view.filter.get(frame.state) : '');
    },
  },
  {id: 'help', keys: ['?'], label: 'help', hint: true, run: (app) => app.openWith('help', {of: app.currentFrame().id})},
  {
    id: 'back',
    keys: ['esc'],
    label: 'back / clear filter',
    run: (app) => {
      const {frame, view} = currentView(app);
      if (view?.filter?.get(frame.state)) applyFilter(app, '');
      else app.back();
    },
  },
  {id: 'quit', keys: ['q', 'ctrl+c'], label: 'quit', hint: true, run: (app) => app.quit()},
];

export const dialogBindings: ModeBinding[] = [
  {id: 'confirm', keys: ['y'], label: 'confirm', run: (app) => confirmDialog(app)},
  {
    id: 'switch',
    keys: ['tab', 'shift+tab', 'left', 'right', 'h', 'l'],
    label: 'switch button',
    run: (app) => {
      const d = app.ui.getState().dialog!;
      app.setDialog({...d, focus: d.focus === 'cancel' ? 'confirm' : 'cancel'});
    },
  },
  {
    id: 'press',
    keys: ['enter'],
    label: 'press the focused button (Cancel first)',
    run: (app) => (app.ui.getState().dialog!.focus === 'confirm' ? confirmDialog(app) : cancelDialog(app)),
  },
  {id: 'cancel', keys: ['esc', 'n', 'q'], label: 'cancel', run: (app) => cancelDialog(app)},
];

function confirmDialog(app: AppController): void {
  const d = app.ui.getState().dialog!;
  app.setDialog(undefined);
  app.runAsync(d.confirmLabel, d.run);
}

function cancelDialog(app: AppController): void {
  app.setDialog(undefined);
  app.setStatus('cancelled');
}

function moveFocus(app: AppController, step: number): void {
  const f = app.ui.getState().form!;
  app.setForm({...f, focus: (f.focus + step + f.fields.length) % f.fields.length});
}

export const formBindings: ModeBinding[] = [
  {id: 'next-field', keys: ['tab', 'down'], label: 'next field', run: (app) => moveFocus(app, 1)},
  {id: 'previous-field', keys: ['shift+tab', 'up'], label: 'previous field', run: (app) => moveFocus(app, -1)},
  {
    id: 'submit',
    keys: ['enter'],
    label: 'next field; on the last one, submit',
    run: (app) => {
      const form = app.ui.getState().form!;
      if (form.focus < form.fields.length - 1) {
        moveFocus(app, 1);
        return;
      }
      const values = Object.fromEntries(form.fields.map((f) => [f.id, f.value]));
      app.setForm(undefined);
      app.runAsync(form.submitLabel, () => form.submit(values));
    },
  },
  // ctrl-c cancels the form, not the app: a half-filled form is never a reason to quit.
  {
    id: 'cancel',
    keys: ['esc', 'ctrl+c'],
    label: 'cancel',
    run: (app) => {
      app.setForm(undefined);
      app.setStatus('cancelled');
    },
  },
  ...textEditBindings.map((b): ModeBinding => ({...b, run: (app, key) => editField(app, key)})),
];

export function editField(app: AppController, key: KeyPress): boolean {
  const form = app.ui.getState().form!;
  const value = editText(form.fields[form.focus]!.value, key);
  if (value === undefined) return false;
  app.setForm({...form, fields: form.fields.map((f, i) => (i === form.focus ? {...f, value} : f))});
  return true;
}

export const promptBindings: ModeBinding[] = [
  {
    id: 'cancel',
    keys: ['esc'],
    label: 'close the prompt (a filter is cleared)',
    run: (app) => {
      const isFilter = app.ui.getState().mode === 'filter';
      app.setMode('view');
      if (isFilter) applyFilter(app, '');
    },
  },
  {
    id: 'run',
    keys: ['enter'],
    label: 'run the command / keep the filter',
    run: (app) => {
      const {mode, input} = app.ui.getState();
      app.setMode('view');
      if (mode === 'command') runCommand(app, input);
    },
  },
  {
    id: 'complete',
    keys: ['tab', 'right'],
    label: 'complete the command',
    run: (app) => {
      const {mode, input} = app.ui.getState();
      const completion = mode === 'command' ? completeCommand(app, input) : undefined;
      if (completion) setPromptInput(app, completion);
    },
  },
  ...textEditBindings.map((b): ModeBinding => ({...b, run: (app, key) => editPrompt(app, key)})),
];

export function editPrompt(app: AppController, key: KeyPress): boolean {
  const input = editText(app.ui.getState().input, key);
  if (input === undefined) return false;
  setPromptInput(app, input);
  return true;
}

function setPromptInput(app: AppController, input: string): void {
  app.setInput(input);
  if (app.ui.getState().mode === 'filter') applyFilter(app, input);
}
