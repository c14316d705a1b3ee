import type {Action, ActionEnv, ActionResult} from './types.js';

export type ConfirmResult = Extract<ActionResult, {kind: 'confirm'}>;

/** A confirmation that names what will change, then runs the change and reports it in the status line. */
export function confirm(title: string, lines: string[], confirmLabel: string, run: () => Promise<string>): ConfirmResult {
  return {
    kind: 'confirm',
    title,
    lines,
    confirmLabel,
    run: async () => ({kind: 'status', text: await run()}),
  };
}

/**
 * `d`: everything the API says about a row, in the describe view. `load` runs when the view opens,
 * so what is shown is read then, not one relist old.
 */
export function describeAction<Row>(
  title: (row: Row) => string,
  load: (row: Row, env: ActionEnv) => Promise<unknown>,
  keys: string[] = ['d'],
): Action<Row> {
  return {
    id: 'describe',
    keys,
    label: 'describe',
    hint: true,
    run: (row, env) => ({kind: 'describe', title: title(row), load: () => load(row, env)}),
  };
}
