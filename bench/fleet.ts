/**
 * Bench containers: records created straight through Containers.Create (what `ctr containers
 * create` stores, minus the snapshot: a record is all the list path reads), listed and removed
 * with ctr, so each bench leaves the daemon as it found it.
 */
import {containersProto, containersService} from '../source/data/containerd/containers.js';
import {buildSpec, SPEC_TYPE_URL} from '../source/data/containerd/oci-spec.js';
import {encodeJsonAny} from '../source/data/grpc/any.js';
import type {DataContext} from '../source/resources/types.js';
import {mapLimit, runCli} from './helpers.js';

const IN_FLIGHT = 32;

export const benchContainerId = (i: number) => `bench-${String(i).padStart(5, '0')}`;

export class Fleet {
  constructor(
    private readonly ctx: DataContext,
    readonly namespace: string,
    private readonly address: string,
  ) {}

  ctr(...args: string[]): string {
    return runCli('ctr', ['--address', this.address, '-n', this.namespace, ...args]);
  }

  ids(): string[] {
    return this.ctr('containers', 'ls', '-q').split('\n').filter(Boolean);
  }

  /** Containers `from` (inclusive) to `to` (exclusive), 32 creates in flight. */
  async create(from: number, to: number): Promise<void> {
    const ids = Array.from({length: to - from}, (_, i) => benchContainerId(from + i));
    await mapLimit(ids, IN_FLIGHT, (id) => {
      const spec = buildSpec({id, namespace: this.namespace, args: ['sleep', 'infinity'], env: [], cwd: '/', hostNetwork: false});
      return this.ctx.containerd.conn.unary(
        containersProto,
        containersService,
        'Create',
        {
          container: {
            id,
            labels: {'nerdctl/name': id, 'bench/run': String(process.pid)},
            image: 'docker.io/library/busybox:latest',
            runtime: {name: 'io.containerd.runc.v2', options: null},
            spec: encodeJsonAny(SPEC_TYPE_URL, spec),
          },
        },
        {namespace: this.namespace},
      );
    });
  }

  async delete(which: string[]): Promise<void> {
    await mapLimit(which, IN_FLIGHT, (id) => this.ctx.containerd.conn.unary(containersProto, containersService, 'Delete', {id}, {namespace: this.namespace}));
  }

  /** Every container of the namespace gone, and the namespace too. */
  async removeAll(): Promise<number> {
    const left = this.ids();
    await this.delete(left);
    const remaining = this.ids().length;
    if (remaining > 0) throw new Error(`${remaining} containers are still in ${this.namespace}`);
    runCli('ctr', ['--address', this.address, 'namespaces', 'rm', this.namespace]);
    return left.length;
  }
}
