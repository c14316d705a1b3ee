import {movementBindings} from '../../keys/bindings.js';
import {moveSelection} from '../../keys/movement.js';
import type {Action, AnyResource} from '../../resources/types.js';
import type {AppController} from '../../store/app-store.js';
import type {Frame} from '../../store/frames.js';
import type {KeyEnv, ViewBinding} from '../types.js';
import type {TableState} from './model.js';

type Env = KeyEnv<TableState>;

/** A resource action as a binding: it runs on the selected row, in the view's scope. */
function actionBinding(action: Action<unknown>): ViewBinding<TableState> {
  const {run, disabledReason, noRow, ...binding} = action;
  return {
    ...binding,
    disabledReason: (env: Env) => {
      const row = env.model.selection;
      if (row === undefined) return noRow ? undefined : 'nothing selected';
      return disabledReason?.(row);
    },
    run: ({app, frame, model, args}: Env) => {
      const scope = {namespace: app.ui.getState().namespace, allNamespaces: frame.state.allNamespaces, params: frame.state.params};
      app.runAsync(action.label, () => run(model.selection, {ctx: app.ctx, scope, report: (t) => app.report(t), args}));
    },
  };
}

/** The table controller: the resource's actions, movement, sort keys and the all-namespaces toggle. */
export function tableBindings(resource: AnyResource): (app: AppController, frame: Frame<TableState>) => ViewBinding<TableState>[] {
  const actions = resource.actions.map((a) => actionBinding(a));
  const movement: ViewBinding<TableState>[] = movementBindings.map((b) => ({
    ...b,
    run: ({app, frame, model}: Env) => {
      const next = moveSelection({selected: Math.min(frame.state.selected, Math.max(0, model.count - 1)), top: frame.state.top}, model, b.id);
      if (next.selected !== frame.state.selected || next.top !== frame.state.top) app.update(frame, next);
    },
  }));
  const sorts: ViewBinding<TableState>[] = resource.columns
    .filter((c) => c.sortKey)
    .map((c) => ({
      id: `sort-${c.id}`,
      keys: [c.sortKey!],
      label: `sort by ${c.header.toLowerCase()}`,
      run: ({app, frame}: Env) => {
        const descending = frame.state.sort.column === c.id ? !frame.state.sort.descending : Boolean(c.descendingFirst);
        app.update(frame, {sort: {column: c.id, descending}, selected: 0, top: 0});
      },
    }));
  const allNamespaces: ViewBinding<TableState>[] = resource.allNamespaces
    ? [
        {
          id: 'all-namespaces',
          keys: ['0'],
          label: 'all namespaces',
          hint: true,
          run: ({app, frame}: Env) => app.update(frame, {allNamespaces: !frame.state.allNamespaces, selected: 0, top: 0}),
        },
      ]
    : [];
  const all = [...actions, ...allNamespaces, ...movement, ...sorts];
  return () => all;
}
