import type {AppController} from '../store/app-store.js';
import type {ViewBinding} from '../views/types.js';
import {findBinding} from './bindings.js';
import {dialogBindings, editField, editPrompt, formBindings, globalBindings, promptBindings} from './modes.js';
import {FOCUS_IN, FOCUS_OUT, type KeyPress} from './parse.js';
import {runViewBinding} from './run-binding.js';

/** Which binding table takes a key now, by priority: dialog > form > prompt > view > global. */
export type InputLayer = 'dialog' | 'form' | 'prompt' | 'view';

export function inputLayer(app: AppController): InputLayer {
  const ui = app.ui.getState();
  if (ui.dialog) return 'dialog';
  if (ui.form) return 'form';
  if (ui.mode === 'command' || ui.mode === 'filter') return 'prompt';
  return 'view';
}

/** Routes one key to the binding that owns it; a key nothing binds does nothing. */
export function dispatchKey(app: AppController, key: KeyPress): void {
  if (key.name === FOCUS_IN || key.name === FOCUS_OUT) {
    app.setFocused(key.name === FOCUS_IN);
    return;
  }
  // A key typed means the terminal has the focus (one may not report focus-in after a child had it).
  if (!app.hasFocus) app.setFocused(true);
  const layer = inputLayer(app);
  // ctrl-c quits from anywhere but a form (a half-filled form is cancelled instead).
  if (key.name === 'ctrl+c' && layer !== 'form') {
    app.quit();
    return;
  }
  switch (layer) {
    case 'dialog':
      findBinding(dialogBindings, key.name)?.run(app, key);
      return;
    case 'form': {
      const b = findBinding(formBindings, key.name);
      if (b) b.run(app, key);
      else editField(app, key);
      return;
    }
    case 'prompt': {
      const b = findBinding(promptBindings, key.name);
      if (b) b.run(app, key);
      else editPrompt(app, key);
      return;
    }
    case 'view': {
      const frame = app.currentFrame();
      const own = app.views.find(frame.view)?.bindings(app, frame) as ViewBinding<unknown>[] | undefined;
      const b = own && findBinding(own, key.name);
      if (b) runViewBinding(app, b, {app, frame, model: app.model(frame), key});
      else findBinding(globalBindings, key.name)?.run(app, key);
    }
  }
}
