import type React from 'react';
import type {Binding} from '../keys/bindings.js';
import type {KeyPress} from '../keys/parse.js';
import type {AppController} from '../store/app-store.js';
import type {Frame, Opening, ViewModel, ViewSize} from '../store/frames.js';

export type {Opening, ViewModel, ViewSize};

/** What a binding's handler and its disabled reason are given. */
export interface KeyEnv<S> {
  app: AppController;
  frame: Frame<S>;
  model: ViewModel;
  key: KeyPress;
  /** Words after a `:` command that runs this binding (`:exec ls -l`). */
  args?: string[];
}

/** A key binding that carries its handler, as lazygit's controllers do. */
export interface ViewBinding<S = unknown> extends Binding {
  run: (env: KeyEnv<S>) => void;
  /** Why it cannot run now, for this selection (shown dimmed in hints, said in the status line). */
  disabledReason?: (env: KeyEnv<S>) => string | undefined;
}

export interface ViewProps<S> {
  app: AppController;
  frame: Frame<S>;
  width: number;
  height: number;
}

/**
 * One kind of view, registered once: `:` commands, completion, `--view`, the hint bar and `?` help
 * all come from the registry's list of these. Adding a view is its folder plus one registry line.
 */
export interface ViewDef<S = any> {
  id: string;
  aliases: string[];
  /** For help and the command list. */
  title: string;
  /** Opens it from `:` and `--view`; drill-down-only views have none. A string is an error; null: handled, nothing to open. */
  open?: (app: AppController, args: string[]) => Opening<S> | string | null;
  /** Opened by an action's result (describe, logs, a drill-down) with what that carries. */
  openWith?: (app: AppController, payload: any) => Opening<S>;
  component: React.ComponentType<ViewProps<S>>;
  /** The rows the keys act on; the component renders the same model. */
  model: (app: AppController, frame: Frame<S>, size: ViewSize) => ViewModel;
  /** When something on screen that shows a relative time changes its text next (epoch ms). */
  nextChange?: (app: AppController, frame: Frame<S>, size: ViewSize) => number | undefined;
  /** The controller: every key of this view with its handler. */
  bindings: (app: AppController, frame: Frame<S>) => ViewBinding<S>[];
  /** What `/` does here (filter rows or search text); absent: `/` is not offered. */
  filter?: {label: string; prefill?: boolean; get: (state: S) => string; set: (state: S, text: string) => Partial<S>};
  /** Help's heading for this frame. */
  heading?: (frame: Frame<S>) => string;
  /** A root frame's state after a namespace switch (selection and filter reset). */
  resetOnNamespace?: (state: S) => S;
  /** The table resource a frame lists: its source runs while it is the topmost table. */
  table?: (frame: Frame<S>) => {resource: import('../resources/types.js').AnyResource; scope: {allNamespaces: boolean; params: Record<string, string>}} | undefined;
}
