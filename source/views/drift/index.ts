import {ApiPodWatch} from '../../data/k8s/pod-watch.js';
import {tableView} from '../table/index.js';
import type {TableState} from '../table/model.js';
import type {ViewDef} from '../types.js';
import {drift, DRIFT_WATCH} from './resource.js';

const table = tableView(drift);

/**
 * :drift, a table whose frame owns a watch of the Pods in etcd: each change asks the table to load
 * again (so do containerd's events and the relist timer), so both sides stay live.
 */
export const driftView: ViewDef<TableState> = {
  ...table,
  open: (app) => {
    const opening = table.open!(app, []);
    if (!opening || typeof opening === 'string') return opening;
    const watch = new ApiPodWatch(app.ctx.etcd, () => app.refresh());
    app.ctx.memo.set(DRIFT_WATCH, watch);
    watch.start();
    const stop = () => {
      watch.stop();
      if (app.ctx.memo.get(DRIFT_WATCH) === watch) app.ctx.memo.delete(DRIFT_WATCH);
    };
    return {...opening, feeds: [{stop}]};
  },
  openWith: undefined,
};
