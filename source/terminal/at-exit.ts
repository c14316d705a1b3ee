/**
 * Things that must not outlive undock (an editor's temp copy, a child on the terminal, a shell
 * exec'd in a container): run on every exit that Node can see (quit, a signal, a crash), in the
 * order they were registered.
 */
const tasks = new Set<() => void>();
const asyncTasks = new Set<() => Promise<unknown>>();

/** Registers `fn` to run at exit; the returned function unregisters it (call it when done normally). */
export function atExit(fn: () => void): () => void {
  tasks.add(fn);
  return () => tasks.delete(fn);
}

/**
 * Registers cleanup that needs a round trip (killing an exec takes a gRPC call): it runs before
 * undock exits on quit, a signal or a crash, all such tasks at once and for a bounded time. An exit
 * Node does not see (SIGKILL) runs nothing.
 */
export function atExitAsync(fn: () => Promise<unknown>): () => void {
  asyncTasks.add(fn);
  return () => asyncTasks.delete(fn);
}

/** Runs the async exit tasks, waiting at most `budgetMs` for them all. */
export async function runAsyncExitTasks(budgetMs: number): Promise<void> {
  const running = [...asyncTasks].map((fn) => {
    asyncTasks.delete(fn);
    return Promise.resolve()
      .then(fn)
      .catch(() => undefined);
  });
  if (running.length === 0) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.all(running), new Promise((resolve) => (timer = setTimeout(resolve, budgetMs)))]);
  clearTimeout(timer);
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
