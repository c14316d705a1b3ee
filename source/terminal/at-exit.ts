/**
 * Things that must not outlive undock (an editor's temp copy, a child on the terminal): run on
 * every exit that Node can see (quit, a signal, a crash), in the order they were registered.
 */
const tasks = new Set<() => void>();

/** Registers `fn` to run at exit; the returned function unregisters it (call it when done normally). */
export function atExit(fn: () => void): () => void {
  tasks.add(fn);
  return () => tasks.delete(fn);
}

export function runExitTasks(): void {
  for (const fn of [...tasks]) {
    tasks.delete(fn);
    try {
      fn();
    } catch {
      // One failed cleanup must not stop the others.
    }
  }
}
