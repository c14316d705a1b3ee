import type {ActionResult} from './types.js';

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
