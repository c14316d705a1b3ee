import assert from 'node:assert/strict';
import {test} from 'node:test';
import {UndockError} from '../../../source/data/errors.js';
import {podStats} from '../../../source/resources/pod-stats/index.js';
import {cpuPercent} from '../../../source/resources/stats/cpu.js';
import {fakeContext} from '../../helpers/render-app.js';

const scope = {namespace: 'k8s.io', allNamespaces: false, params: {}};
const signal = new AbortController().signal;

test('a pod the runtime cannot measure says why on its own row; the others keep their figures', async () => {
  const pods = [
    {id: 'a', name: 'measured', namespace: 'ns', state: 'ready'},
    {id: 'b', name: 'no-cgroup', namespace: 'ns', state: 'ready'},
  ];
  const ctx = fakeContext({}, {
    cri: {
      listPodSandboxes: async () => pods,
      podSandboxStats: async (id: string) => {
        if (id === 'b') throw new UndockError('unknown', 'failed to decode sandbox container metrics for sandbox "b": cgroups: cgroup deleted');
        return {id, name: 'measured', namespace: 'ns', cpu: {usageNanoCores: 25_000_000}, memory: {workingSetBytes: 4096}, processes: 3};
      },
    },
  });
  const rows = await podStats.load(ctx, scope, signal);
  const byPod = Object.fromEntries(rows.map((r) => [r.pod, r]));
  assert.equal(byPod['ns/measured']!.cpu, 2.5, '25 ms of CPU a second is 2.5 %');
  assert.equal(byPod['ns/measured']!.workingSet, 4096);
  assert.equal(byPod['ns/measured']!.unsupported, undefined);
  assert.match(byPod['ns/no-cgroup']!.unsupported!, /cgroup/);
  const note = podStats.columns.find((c) => c.id === 'note')!;
  assert.match(note.cell(byPod['ns/no-cgroup']!, 0), /^not supported here: /);
  assert.equal(note.cell(byPod['ns/measured']!, 0), '');
});

test('CPU without a rate from the runtime is the change between two samples, in percent of one core', () => {
  const ctx = fakeContext();
  assert.equal(cpuPercent(ctx, 'c', {usageCoreNanoSeconds: 1_000_000_000}, 10_000), undefined, 'one sample is not a rate');
  assert.equal(cpuPercent(ctx, 'c', {usageCoreNanoSeconds: 1_500_000_000}, 11_000), 50);
  assert.equal(cpuPercent(ctx, 'c', undefined, 12_000), undefined);
});
