import type {AppController} from '../store/app-store.js';
import {splitCommand} from '../resources/words.js';
import type {ViewBinding} from '../views/types.js';
import {runViewBinding} from './run-binding.js';

/** Commands that are not views. */
const OWN_COMMANDS = ['exec', 'import', 'quit', 'q'];

/** Every word `:` accepts, in the registry's order: completion and help use it. */
export function commandNames(app: AppController): string[] {
  return [...app.views.commandNames(), ...OWN_COMMANDS];
}

/** Completes a command word from the known names (first match, by list order). */
export function completeCommand(app: AppController, input: string): string | undefined {
  const word = input.trimStart();
  if (!word || word.includes(' ')) return undefined;
  return commandNames(app).find((n) => n.startsWith(word) && n !== word);
}

/** Runs a ":" command line. */
export function runCommand(app: AppController, line: string): void {
  // Shell-like words: `:exec sh -c 'echo hi'` keeps the quoted command together.
  const [cmd = '', ...args] = splitCommand(line.trim());
  if (!cmd) return;
  if (cmd === 'q' || cmd === 'quit' || cmd === 'q!') {
    app.quit();
    return;
  }
  if (cmd === 'exec') {
    runOnSelection(app, 'shell', args);
    return;
  }
  if (cmd === 'import') {
    // `:import FILE` imports into the current namespace from any view, as the images view's `i`.
    if (app.currentFrame().view !== 'images') app.openNamed('images');
    if (args.length === 0) app.setStatus(':import FILE: give the path of a `docker save` archive or an OCI tarball', 'error');
    else runOnSelection(app, 'import', args);
    return;
  }
  if (!app.openNamed(cmd.toLowerCase(), args)) {
    const names = app.views.commandNames().filter((n) => app.views.find(n)?.id === n);
    app.setStatus(`unknown command ":${cmd}" (try ${names.map((n) => ':' + n).join(', ')}, :q)`, 'error');
  }
}

/** Runs the current view's binding with this id on its selection, as if its key were pressed, with extra words. */
export function runOnSelection(app: AppController, bindingId: string, args: string[] = []): void {
  const frame = app.currentFrame();
  const binding = app.views.find(frame.view)?.bindings(app, frame).find((b) => b.id === bindingId) as ViewBinding<unknown> | undefined;
  if (!binding) {
    app.setStatus(`:${bindingId === 'shell' ? 'exec' : bindingId} works on a container row (:co, or a pod's containers)`, 'error');
    return;
  }
  // The same checks as the key: read-only and the binding's disabled reason come before anything runs.
  runViewBinding(app, binding, {app, frame, model: app.model(frame), key: {name: ':', text: ''}, args});
}
