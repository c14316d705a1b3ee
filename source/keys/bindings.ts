/** A key binding as data: the hint bar and the ? help are rendered from these lists. */
export interface Binding {
  /** What the binding does, as a command id. */
  id: string;
  keys: string[];
  label: string;
  /** Shown in the hint bar (the rest only in ? help). */
  hint?: boolean;
  /** Changes daemon state: confirmed, and refused under --readonly. */
  dangerous?: boolean;
}

/** Moving through a list; the ids are what `move()` understands. */
export const movementBindings: Binding[] = [
  {id: 'down', keys: ['j', 'down'], label: 'down'},
  {id: 'up', keys: ['k', 'up'], label: 'up'},
  {id: 'page-down', keys: ['pgdn', 'ctrl+f'], label: 'page down'},
  {id: 'page-up', keys: ['pgup', 'ctrl+b'], label: 'page up'},
  {id: 'top', keys: ['g', 'home'], label: 'top'},
  {id: 'bottom', keys: ['G', 'end'], label: 'bottom'},
];

export function findBinding<B extends Binding>(bindings: readonly B[], key: string): B | undefined {
  return bindings.find((b) => b.keys.includes(key));
}

export function keyLabel(key: string): string {
  return key.replace(/^ctrl\+/, 'ctrl-');
}
