import type {AppController} from '../store/app-store.js';
import type {KeyEnv, ViewBinding} from '../views/types.js';

/**
 * Why a view binding may not run now: read-only refuses every dangerous one before anything is
 * prepared, then the binding's own reason for this selection. One check for keys and `:` commands.
 */
export function refusal<S>(app: AppController, binding: ViewBinding<S>, env: KeyEnv<S>): string | undefined {
  if (binding.dangerous && app.ctx.config.readonly) return `${binding.label} refused: undock runs with --readonly`;
  const why = binding.disabledReason?.(env);
  return why ? `${binding.label}: ${why}` : undefined;
}

/** Runs a view binding if it may run, else says why in the status line. */
export function runViewBinding<S>(app: AppController, binding: ViewBinding<S>, env: KeyEnv<S>): void {
  const why = refusal(app, binding, env);
  if (why) app.setStatus(why, 'error');
  else binding.run(env);
}
