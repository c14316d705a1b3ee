import {keyLabel, type Binding} from '../../keys/bindings.js';
import {commandNames} from '../../keys/commands.js';
import {dialogBindings, formBindings, globalBindings, promptBindings, TYPING} from '../../keys/modes.js';
import type {AppController} from '../../store/app-store.js';
import type {Frame} from '../../store/frames.js';
import type {ViewBinding} from '../types.js';

export interface HelpState {
  /** The frame whose keys are shown. */
  of: number;
}

export interface HelpSection {
  title: string;
  bindings: Array<Binding & {disabled?: string}>;
}

/** The keys of the view under help, then every other mode's, from the same tables the router uses. */
export function helpSections(app: AppController, frame: Frame<HelpState>): {heading: string; sections: HelpSection[]; commands: string} {
  const target = app.ui.getState().stack.find((f) => f.id === frame.state.of);
  const view = target && app.views.find(target.view);
  const own = (view && target ? view.bindings(app, target) : []) as ViewBinding<unknown>[];
  const env = target ? {app, frame: target, model: app.model(target), key: {name: '?', text: ''}} : undefined;
  const ownKeys = new Set(own.flatMap((b) => b.keys));
  const heading = (target && view?.heading?.(target)) ?? view?.title ?? 'undock';
  const general = globalBindings.filter((b) => !b.keys.some((k) => ownKeys.has(k)) && (b.id !== 'filter' || view?.filter));
  const sections: HelpSection[] = [
    {title: heading.toUpperCase(), bindings: own.map((b) => ({...b, disabled: env ? b.disabledReason?.(env) : undefined}))},
    {title: 'GENERAL', bindings: general},
    {title: 'DIALOGS', bindings: dialogBindings},
    {title: 'FORMS', bindings: [...formBindings, TYPING]},
    {title: 'PROMPT (: and /)', bindings: [...promptBindings, TYPING]},
  ];
  return {heading, sections, commands: commandNames(app).map((n) => ':' + n).join(' ')};
}

export function keysText(b: Binding): string {
  return b.keys.map(keyLabel).join(',');
}
