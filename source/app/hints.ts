import {globalBindings} from '../keys/modes.js';
import {refusal} from '../keys/run-binding.js';
import type {AppController} from '../store/app-store.js';
import type {Frame} from '../store/frames.js';
import type {Hint} from '../ui/hints.js';
import type {ViewBinding} from '../views/types.js';

/** The hint bar of a frame: its view's hinted keys, dimmed where they cannot run, then the global ones. */
export function hintsFor(app: AppController, frame: Frame): Hint[] {
  const view = app.views.find(frame.view);
  const own = (view?.bindings(app, frame) ?? []) as ViewBinding<unknown>[];
  const env = {app, frame, model: app.model(frame), key: {name: '', text: ''}};
  const ownKeys = new Set(own.flatMap((b) => b.keys));
  return [
    ...own.filter((b) => b.hint).map((b) => ({...b, off: refusal(app, b, env) !== undefined})),
    ...globalBindings.filter((b) => b.hint && !b.keys.some((k) => ownKeys.has(k)) && (b.id !== 'filter' || view?.filter)),
  ];
}
