/** A key binding as data: the hint bar and the ? help are rendered from these lists. */
export interface Binding {
  /** What the binding does, as a command id the owner dispatches on. */
  id: string;
  keys: string[];
  label: string;
  /** Shown in the hint bar (the rest only in ? help). */
  hint?: boolean;
  /** Changes daemon state: confirmed, and refused under --readonly. */
  dangerous?: boolean;
  /** Why it is disabled right now, if it is. */
  disabled?: string;
}

export const globalBindings: Binding[] = [
  {id: 'command', keys: [':'], label: 'command', hint: true},
  {id: 'filter', keys: ['/'], label: 'filter', hint: true},
  {id: 'help', keys: ['?'], label: 'help', hint: true},
  {id: 'back', keys: ['esc'], label: 'back / clear filter'},
  {id: 'quit', keys: ['q', 'ctrl+c'], label: 'quit', hint: true},
];

export const tableBindings: Binding[] = [
  {id: 'down', keys: ['j', 'down'], label: 'down'},
  {id: 'up', keys: ['k', 'up'], label: 'up'},
  {id: 'page-down', keys: ['pgdn', 'ctrl+f'], label: 'page down'},
  {id: 'page-up', keys: ['pgup', 'ctrl+b'], label: 'page up'},
  {id: 'top', keys: ['g', 'home'], label: 'top'},
  {id: 'bottom', keys: ['G', 'end'], label: 'bottom'},
];

export const allNamespacesBinding: Binding = {id: 'all-namespaces', keys: ['0'], label: 'all namespaces', hint: true};

export const detailBindings: Binding[] = [
  {id: 'toggle-format', keys: ['y'], label: 'YAML / JSON', hint: true},
  {id: 'back', keys: ['esc'], label: 'back', hint: true},
  ...tableBindings.map((b) => ({...b, label: b.label.replace('down', 'scroll down').replace(/^up$/, 'scroll up')})),
];

export const logBindings: Binding[] = [
  {id: 'follow', keys: ['f'], label: 'follow on/off', hint: true},
  {id: 'wrap', keys: ['w'], label: 'wrap on/off', hint: true},
  {id: 'timestamps', keys: ['t'], label: 'timestamps on/off', hint: true},
  {id: 'search', keys: ['/'], label: 'search', hint: true},
  {id: 'next', keys: ['n'], label: 'next match'},
  {id: 'previous-match', keys: ['N'], label: 'previous match'},
  {id: 'save', keys: ['ctrl+s'], label: 'save to a file', hint: true},
  {id: 'previous-attempt', keys: ['p'], label: "previous attempt's log (CRI)"},
  {id: 'back', keys: ['esc'], label: 'back', hint: true},
  ...tableBindings.map((b) => ({...b, label: `scroll ${b.label}`})),
];

export const treeBindings: Binding[] = [
  {id: 'open', keys: ['enter', 'right'], label: 'open folder / value', hint: true},
  {id: 'close', keys: ['left'], label: 'close folder / go to parent'},
  {id: 'edit', keys: ['e'], label: 'edit value ($EDITOR)', hint: true, dangerous: true},
  {id: 'new', keys: ['n'], label: 'new key', hint: true, dangerous: true},
  {id: 'delete', keys: ['ctrl+d'], label: 'delete key / folder', hint: true, dangerous: true},
  {id: 'history', keys: ['h'], label: 'history', hint: true},
  {id: 'reload', keys: ['R'], label: 'reload the tree'},
  ...tableBindings,
];

export const dialogBindings: Binding[] = [
  {id: 'confirm', keys: ['y'], label: 'confirm'},
  {id: 'switch', keys: ['tab', 'left', 'right'], label: 'switch button'},
  {id: 'press', keys: ['enter'], label: 'press the focused button (Cancel first)'},
  {id: 'cancel', keys: ['esc', 'n'], label: 'cancel'},
];

export function findBinding<B extends Binding>(bindings: B[], key: string): B | undefined {
  return bindings.find((b) => b.keys.includes(key));
}

export function keyLabel(key: string): string {
  return key.replace(/^ctrl\+/, 'ctrl-');
}
