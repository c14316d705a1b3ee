/**
 * The navigation model: a stack of frames, each naming the registered view it shows and holding
 * that view's own state. Pure functions only: the app store applies them, and disposes of the
 * feeds of every frame that leaves the stack, whichever way it leaves.
 */
export interface Frame<S = unknown> {
  /** Unique for the app's lifetime: feeds are attached to it. */
  id: number;
  /** The registered view this frame shows (its registry id). */
  view: string;
  /** Breadcrumb text. */
  crumb: string;
  state: S;
}

export interface NavState {
  stack: Frame[];
  namespace: string;
}

/** A frame to open: the app gives it its id. */
export type NewFrame<S = unknown> = Omit<Frame<S>, 'id'>;

export function top(nav: NavState): Frame {
  return nav.stack[nav.stack.length - 1]!;
}

/** On top of the current view (esc comes back). */
export function push(nav: NavState, frame: Frame): NavState {
  return {...nav, stack: [...nav.stack, frame]};
}

/** A new root, as k9s does for `:resource`: everything drilled into is dropped. */
export function replaceRoot(nav: NavState, frame: Frame): NavState {
  return {...nav, stack: [frame]};
}

/** One level back; the root stays. */
export function back(nav: NavState): NavState {
  return nav.stack.length <= 1 ? nav : {...nav, stack: nav.stack.slice(0, -1)};
}

/** Replaces one frame's state (by id) with a patch; frames that are gone are left alone. */
export function update<S>(nav: NavState, id: number, patch: Partial<S>): NavState {
  const i = nav.stack.findIndex((f) => f.id === id);
  if (i < 0) return nav;
  const stack = nav.stack.slice();
  const f = stack[i]!;
  stack[i] = {...f, state: {...(f.state as object), ...patch}};
  return {...nav, stack};
}

/**
 * Another namespace: drilled-down views belong to the old one, so only the root stays, with its
 * state reset by the caller's `resetRoot` (selection and filter of the old namespace mean nothing).
 */
export function switchNamespace(nav: NavState, namespace: string, resetRoot: (root: Frame) => Frame): NavState {
  return {namespace, stack: [resetRoot(nav.stack[0]!)]};
}

/** The frames of `before` that are no longer in `after`: their feeds must stop. */
export function removedFrames(before: Frame[], after: Frame[]): Frame[] {
  const kept = new Set(after.map((f) => f.id));
  return before.filter((f) => !kept.has(f.id));
}

/** What a view holds, as the keys need it: how many rows, a page's height, the row at an index. */
export interface ViewModel {
  count: number;
  pageSize: number;
  rowAt: (index: number) => unknown;
  /** The row under the selection, if the view has one. */
  selection?: unknown;
  /** The rows on screen now (a table's window): only they have live figures sampled. */
  onScreen?: () => unknown[];
}

export interface ViewSize {
  width: number;
  height: number;
}

/** What opening a view asks for: the frame, and the feeds it owns (stopped when the frame goes). */
export interface Opening<S = unknown> {
  frame: NewFrame<S>;
  feeds?: Array<{stop(): void}>;
  /** Replaces the stack (a `:` view) or goes on top of it (a drill-down). */
  as?: 'root' | 'push';
}
