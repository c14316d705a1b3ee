import React from 'react';
import {namespaceProblem} from '../../data/containerd/identifiers.js';
import type {AnyResource} from '../../resources/types.js';
import type {Frame} from '../../store/frames.js';
import type {ViewDef, ViewProps} from '../types.js';
import {tableBindings} from './controller.js';
import {newTableState, tableModel, type TableState} from './model.js';
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
          if (args[0] && args[0] !== 'all') {
            const problem = namespaceProblem(args[0]);
            if (problem) return problem;
            app.setNamespace(args[0]);
            // `:ns NAME` only switches; `:co NAME` switches and shows containers.
            if (resource.opensOnTop) return null;
          }
          return {...opening(newTableState(resource), resource.id), as: resource.opensOnTop ? 'push' : 'root'};
        },
    openWith: (_app, p: {params: Record<string, string>; crumb: string}) => opening(newTableState(resource, {params: p.params}), p.crumb),
    component,
    model: (app, frame, size) => tableModel(app, frame, size, resource),
    bindings: tableBindings(resource),
    filter: {label: 'filter', get: (s) => s.filter, set: (_s, text) => ({filter: text, selected: 0, top: 0})},
    heading: () => resource.title,
    resetOnNamespace: (s) => ({...s, selected: 0, top: 0, allNamespaces: false, filter: ''}),
    table: (frame: Frame<TableState>) => ({resource, scope: {allNamespaces: frame.state.allNamespaces, params: frame.state.params}}),
  };
}
