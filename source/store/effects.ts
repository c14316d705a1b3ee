import {errorLine} from '../data/errors.js';
import type {ActionResult} from '../resources/types.js';
import {handTerminalOver} from '../terminal/handoff.js';
import {safeText} from '../data/text/sanitize.js';
import type {UiState} from './app-state.js';
import type {Store} from './store.js';

/** What effects need of the app (the app store implements it; kept here so the two do not import each other). */
export interface EffectsHost {
  readonly ui: Store<UiState>;
  setStatus(text: string, level?: 'info' | 'error'): void;
  refresh(): void;
  setNamespace(namespace: string): void;
  openWith(view: string, payload: unknown): void;
  openNamed(view: string, args?: string[]): boolean;
  switchContext(name: string): void;
}

/**
 * Carries out what an action asked for. Actions never touch the UI; this is the one place their
 * results become navigation, dialogs, forms, status lines and terminal handoffs.
 */
export function applyResult(app: EffectsHost, result: ActionResult): void {
  switch (result.kind) {
    case 'none':
      return;
    case 'status':
      app.setStatus(result.text, result.level);
      app.refresh();
      return;
    case 'set-namespace':
      app.setNamespace(result.namespace);
      return;
    case 'switch-context':
      app.switchContext(result.context);
      return;
    case 'open':
      app.openNamed(result.view);
      return;
    case 'push':
      app.openWith(result.resource, {params: result.params, crumb: result.crumb, filter: result.filter});
      return;
    case 'view':
      app.openWith(result.view, result.payload);
      return;
    case 'describe':
      app.openWith('describe', {title: result.title, load: result.load});
      return;
    case 'logs':
      app.openWith('logs', {title: result.title, crumb: result.crumb, source: result.source});
      return;
    case 'confirm':
      app.ui.setState({
        // Dialogs name what they change (a key, a container): their text is sanitised where it enters.
        dialog: {title: safeText(result.title), lines: result.lines.map(safeText), confirmLabel: safeText(result.confirmLabel), focus: 'cancel', run: result.run},
      });
      return;
    case 'form':
      app.ui.setState({
        // Field values stay as they are (they are edited and submitted); the form draws them sanitised.
        form: {title: safeText(result.title), lines: (result.lines ?? []).map(safeText), fields: result.fields, focus: 0, submitLabel: result.submitLabel, submit: result.submit},
      });
      return;
    case 'handoff':
      runAsync(app, 'starting', async () => {
        const runner = await result.prepare();
        const outcome = await handTerminalOver(result.banner, runner, {passthrough: result.passthrough});
        return typeof outcome === 'string' ? {kind: 'status', text: outcome} : outcome;
      });
      return;
  }
}

/** Runs an action's work, showing it as busy, and applies what it returns; a failure is one status line. */
export function runAsync(app: EffectsHost, label: string, work: () => Promise<ActionResult> | ActionResult): void {
  app.ui.setState({busy: safeText(label)});
  Promise.resolve()
    .then(work)
    .then(
      (result) => {
        if (app.ui.getState().busy === safeText(label)) app.ui.setState({busy: undefined});
        applyResult(app, result);
      },
      (err) => app.setStatus(errorLine(err), 'error'),
    );
}
