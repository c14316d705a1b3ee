import type {CriContainerRecord} from '../../data/cri/containers.js';
import {pruneMemo} from '../memo.js';
import type {DataContext, LoadScope} from '../types.js';

/** A CRI container of a pod, with how its attempt ended when it has. */
export interface PodContainerRow extends CriContainerRecord {
  exitCode?: number;
  /** CRI's word for it: Completed, Error, OOMKilled. */
  reason?: string;
  finishedAt?: Date;
}

interface Exit {
  exitCode: number;
  reason: string;
  finishedAt?: Date;
}

/**
 * One ListContainers call for the pod; ListContainers carries no exit, so each exited attempt is asked
 * once (ContainerStatus) and remembered: an exited container never changes again.
 */
export async function loadPodContainers(ctx: DataContext, scope: LoadScope): Promise<PodContainerRow[]> {
  const containers = await ctx.cri.listContainers({podSandboxId: scope.params.podId});
  const keep = new Set<string>();
  const rows = await Promise.all(
    containers.map(async (c): Promise<PodContainerRow> => {
      if (c.state !== 'exited') return c;
      const key = `cri-exit:${c.id}`;
      keep.add(key);
      let exit = ctx.memo.get(key) as Exit | undefined;
      if (!exit) {
        exit = await ctx.cri.containerStatus(c.id, false).then(
          ({status}) => ({exitCode: status.exitCode, reason: status.reason, finishedAt: status.finishedAt}),
          () => undefined,
        );
        if (exit) ctx.memo.set(key, exit);
      }
      return exit ? {...c, exitCode: exit.exitCode, reason: exit.reason || undefined, finishedAt: exit.finishedAt} : c;
    }),
  );
  pruneMemo(ctx.memo, 'cri-exit:', keep);
  return rows;
}
