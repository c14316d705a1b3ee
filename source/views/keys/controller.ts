import {movementBindings} from '../../keys/bindings.js';
import {moveSelection} from '../../keys/movement.js';
import type {KeyEnv, ViewBinding} from '../types.js';
import {deleteRow, describeKey, editKey, historyOf, newKey} from './actions.js';
import {linkBindings} from './links.js';
import type {TreeModel, TreeState} from './model.js';
import type {TreeRow} from './tree-model.js';

type Env = KeyEnv<TreeState>;
const rowOf = (env: Env) => env.model.selection as TreeRow | undefined;
const feedOf = (env: Env) => (env.model as TreeModel).feed;
const readOnlyV2 = (env: Env) => (env.frame.state.api === 'v2' ? 'the v2 keyspace is read-only in undock' : undefined);
const needsRow = (env: Env) => (rowOf(env) ? undefined : 'nothing selected');
const previewSecret = (env: Env) => {
  const p = feedOf(env).preview.getState();
  // The preview's value is the selected row's (it is read once the selection rests).
  const o = p.key === rowOf(env)?.path ? p.description?.object : undefined;
  return o?.known && o.apiVersion === 'v1' && o.kind === 'Secret' ? undefined : 'x reveals the data of a Secret; the preview shows no Secret';
};
const needsKey = (what: string) => (env: Env) => needsRow(env) ?? (rowOf(env)!.folder ? `${what} a key, not a folder` : undefined);

/** The key tree's controller: open and close folders, edit, create, delete, history, reload. */
export const treeBindings: ViewBinding<TreeState>[] = [
  {
    id: 'open',
    keys: ['enter', 'right'],
    label: 'open folder / value',
    hint: true,
    disabledReason: needsRow,
    run: (env) => {
      const {app, frame, key} = env;
      const r = rowOf(env)!;
      if (!r.folder) app.apply(describeKey(app.ctx.etcd, r));
      else if (!r.expanded) {
        app.update(frame, {expanded: [...frame.state.expanded, r.path]});
        feedOf(env).want([r.path]);
      }
      else if (key.name === 'right') app.update(frame, {selected: frame.state.selected + 1});
      else app.update(frame, {expanded: frame.state.expanded.filter((p) => p !== r.path)});
    },
  },
  {
    id: 'close',
    keys: ['left'],
    label: 'close folder / go to parent',
    disabledReason: needsRow,
    run: (env) => {
      const {app, frame, model} = env;
      const r = rowOf(env)!;
      if (r.folder && r.expanded) {
        app.update(frame, {expanded: frame.state.expanded.filter((p) => p !== r.path)});
        return;
      }
      // Up to the folder this row is in.
      for (let i = frame.state.selected - 1; i >= 0; i--) {
        const up = model.rowAt(i) as TreeRow;
        if (up.folder && up.depth < r.depth) {
          app.update(frame, {selected: i});
          return;
        }
      }
    },
  },
  {
    id: 'edit',
    keys: ['e'],
    label: 'edit value ($EDITOR)',
    hint: true,
    dangerous: true,
    disabledReason: (env) => readOnlyV2(env) ?? needsKey('e edits')(env),
    run: (env) => env.app.apply(editKey(env.app.ctx.etcd, rowOf(env)!)),
  },
  {
    id: 'new',
    keys: ['n'],
    label: 'new key',
    hint: true,
    dangerous: true,
    disabledReason: readOnlyV2,
    run: (env) => {
      // The folder the selection is in (a filtered row carries its full key).
      const row = rowOf(env);
      const sep = feedOf(env).sep;
      const folder = !row ? '' : row.folder ? row.path : row.path.slice(0, row.path.lastIndexOf(sep) + 1);
      env.app.apply(newKey(env.app.ctx.etcd, folder));
    },
  },
  {
    id: 'delete',
    keys: ['ctrl+d'],
    label: 'delete key / folder',
    hint: true,
    dangerous: true,
    disabledReason: (env) => readOnlyV2(env) ?? needsRow(env),
    run: (env) => env.app.runAsync('counting', () => deleteRow(env.app.ctx.etcd, rowOf(env)!)),
  },
  {
    id: 'history',
    keys: ['h'],
    label: 'history',
    hint: true,
    disabledReason: (env) => readOnlyV2(env) ?? needsKey('h shows the history of')(env),
    run: (env) => env.app.apply(historyOf(env.app.ctx.etcd, rowOf(env)!)),
  },
  {
    id: 'reveal',
    keys: ['x'],
    label: 'reveal / mask Secret data',
    hint: true,
    disabledReason: previewSecret,
    // Nothing is reported: the decoded data is on screen only, never in :messages or a log.
    run: (env) => {
      const key = feedOf(env).preview.getState().key;
      env.app.update(env.frame, {reveal: env.frame.state.reveal === key ? undefined : key});
    },
  },
  {id: 'reload', keys: ['R'], label: 'reload the tree', run: (env) => feedOf(env).start('reloaded')},
  ...linkBindings,
  ...movementBindings.map(
    (b): ViewBinding<TreeState> => ({
      ...b,
      run: ({app, frame, model}) => {
        const next = moveSelection({selected: (model as TreeModel).selected, top: frame.state.top}, model, b.id);
        if (next.selected !== frame.state.selected || next.top !== frame.state.top) app.update(frame, next);
      },
    }),
  ),
];
