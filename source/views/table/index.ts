import React from 'react';
import {namespaceProblem} from '../../resources/namespaces/check.js';
import {namespaceProblem as namespaceNameProblem} from '../../data/containerd/identifiers.js';
import type {AnyResource} from '../../resources/types.js';
import type {Frame} from '../../store/frames.js';
import type {ViewDef, ViewProps} from '../types.js';
import {tableBindings} from './controller.js';
import {newTableState, tableModel, tableNextChange, type TableState} from './model.js';
import {Pane} from './pane.js';

/**
 * A table resource as a view: the resource folder gives data, columns and actions; this gives the
 * frame, the component and the controller, the same for every resource.
 */
export function tableView(resource: AnyResource): ViewDef<TableState> {
  const component = (props: ViewProps<TableState>) => React.createElement(Pane, {...props, resource});
  const opening = (state: TableState, crumb: string) => ({frame: {view: resource.id, crumb, state}});
  return {
    id: resource.id,
    aliases: resource.aliases,
    title: resource.title,
    open: resource.nested
      ? undefined
      : (app, args) => {
          // `:co all` lists every namespace; `:co k8s.io` switches namespace first, as k9s's `:pods kube-system`.
          if (args[0] === 'all' && resource.allNamespaces) return opening(newTableState(resource, {allNamespaces: true}), resource.id);
          const namespace = args[0];
          if (namespace && namespace !== 'all') {
            // A name containerd could never have (control characters, …) is refused before it goes anywhere.
            const badName = namespaceNameProblem(namespace);
            if (badName) return badName;
            // Then asked: a namespace containerd does not have is refused with the ones it has.
            app.runAsync(`namespace ${namespace}`, async () => {
              const problem = await namespaceProblem(app.ctx, namespace);
              if (problem) return {kind: 'status', level: 'error', text: problem};
              app.setNamespace(namespace);
              // `:ns NAME` only switches; `:co NAME` switches and shows containers.
              return resource.opensOnTop ? {kind: 'none'} : {kind: 'open', view: resource.id};
            });
            return null;
          }
          return {...opening(newTableState(resource), resource.id), as: resource.opensOnTop ? 'push' : 'root'};
        },
    // A cross-link opens a table filtered to what it points at (`filter`).
    openWith: (_app, p: {params: Record<string, string>; crumb: string; filter?: string}) =>
      opening({...newTableState(resource, {params: p.params}), filter: p.filter ?? ''}, p.crumb),
    component,
    model: (app, frame, size) => tableModel(app, frame, size, resource),
    nextChange: (app, frame, size) => tableNextChange(app, frame, size, resource),
    bindings: tableBindings(resource),
    filter: {label: 'filter', get: (s) => s.filter, set: (_s, text) => ({filter: text, selected: 0, top: 0})},
    heading: () => resource.title,
    resetOnNamespace: (s) => ({...s, selected: 0, top: 0, allNamespaces: false, filter: ''}),
    table: (frame: Frame<TableState>) => ({resource, scope: {allNamespaces: frame.state.allNamespaces, params: frame.state.params}}),
  };
}
