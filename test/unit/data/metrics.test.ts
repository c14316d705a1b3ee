import assert from 'node:assert/strict';
import path from 'node:path';
import {test} from 'node:test';
import protobuf from 'protobufjs';
import {decodeAny, encodeJsonAny, encodeProtoAny, ociSpecTypeUrl} from '../../../source/data/grpc/any.js';
import {protoRoot} from '../../../source/data/grpc/proto-text.js';
import {cpuPercent, pickCgroupsV1, type CgroupsV1Metrics, type TaskMetrics} from '../../../source/data/containerd/metrics.js';

const MiB = 1024 * 1024;
const t0 = new Date('2024-05-01T12:00:00.000Z');
const at = (ms: number) => new Date(t0.getTime() + ms);
const sample = (timestamp: Date, cpuUsageNanos: number): TaskMetrics => ({id: 'web', timestamp, cpuUsageNanos, memoryUsageBytes: 0});

test('cpuPercent: CPU time over wall time, 100 per busy core', () => {
  assert.equal(cpuPercent(sample(t0, 1e9), sample(at(1000), 1.5e9)), 50);
  assert.equal(cpuPercent(sample(t0, 0), sample(at(2000), 4e9)), 200);
  assert.equal(cpuPercent(sample(t0, 7e9), sample(at(500), 7e9)), 0);
});

test('cpuPercent: no figure from samples that cannot be compared', () => {
  assert.equal(cpuPercent(sample(t0, 1e9), sample(t0, 2e9)), 0, 'same instant');
  assert.equal(cpuPercent(sample(at(1000), 1e9), sample(t0, 2e9)), 0, 'out of order');
  assert.equal(cpuPercent(sample(t0, 5e9), sample(at(1000), 1e6)), 0, 'counter restarted with the task');
});

const memory = (usage: number, inactiveFile: number, limit: string, hierarchical = '9223372036854771712'): CgroupsV1Metrics['memory'] => ({
  cache: String(inactiveFile * 2),
  total_inactive_file: String(inactiveFile),
  hierarchical_memory_limit: hierarchical,
  usage: {usage: String(usage), limit},
});

test('memory is the working set: usage minus inactive file pages, as docker stats shows', () => {
  const m = pickCgroupsV1('web', t0, {memory: memory(10 * MiB, 4 * MiB, String(256 * MiB)), cpu: {usage: {total: '123456789'}}, pids: {current: '3', limit: '0'}});
  assert.deepEqual(m, {id: 'web', timestamp: t0, cpuUsageNanos: 123456789, memoryUsageBytes: 6 * MiB, memoryLimitBytes: 256 * MiB, pids: 3});
});

test('memory falls back to raw usage when inactive file pages exceed it', () => {
  const m = pickCgroupsV1('web', t0, {memory: memory(1 * MiB, 2 * MiB, String(64 * MiB))});
  assert.equal(m.memoryUsageBytes, 1 * MiB);
});

test('the cgroups v1 "unlimited" value is no limit; a parent limit counts', () => {
  const unlimited = pickCgroupsV1('web', t0, {memory: memory(MiB, 0, '9223372036854771712')});
  assert.equal(unlimited.memoryLimitBytes, undefined);
  assert.ok(!('memoryLimitBytes' in unlimited));
  const fromParent = pickCgroupsV1('web', t0, {memory: memory(MiB, 0, '9223372036854771712', String(512 * MiB))});
  assert.equal(fromParent.memoryLimitBytes, 512 * MiB);
});

test('a sample without memory or pids sections gives zeros and no pids', () => {
  const m = pickCgroupsV1('web', t0, {});
  assert.deepEqual(m, {id: 'web', timestamp: t0, cpuUsageNanos: 0, memoryUsageBytes: 0});
});

test('decodeAny decodes cgroups v1 metrics bytes with 64-bit values as strings', () => {
  const root = new protobuf.Root();
  root.resolvePath = (_o, target) => path.join(protoRoot, target);
  root.loadSync('cgroups/stats/v1/metrics.proto', {keepCase: true});
  const Metrics = root.lookupType('io.containerd.cgroups.v1.Metrics');
  const bytes = Metrics.encode(
    Metrics.fromObject({
      cpu: {usage: {total: '987654321'}},
      memory: {total_inactive_file: String(MiB), usage: {usage: String(5 * MiB), limit: '9223372036854771712'}},
      pids: {current: '2'},
    }),
  ).finish();
  const decoded = decodeAny({type_url: 'io.containerd.cgroups.v1.Metrics', value: Buffer.from(bytes)}) as CgroupsV1Metrics & {
    memory: {usage: {limit: string}};
  };
  assert.equal(decoded.memory.usage.limit, '9223372036854771712', 'no precision lost');
  assert.deepEqual(pickCgroupsV1('x', t0, decoded), {id: 'x', timestamp: t0, cpuUsageNanos: 987654321, memoryUsageBytes: 4 * MiB, pids: 2});
});

test('decodeAny reads OCI JSON and names types it does not know', () => {
  const spec = {ociVersion: '1.0.2', process: {args: ['sh']}};
  assert.deepEqual(decodeAny(encodeJsonAny(ociSpecTypeUrl, spec)), spec);
  assert.deepEqual(decodeAny({type_url: 'example.com/Unknown', value: Buffer.alloc(7)}), {type_url: 'example.com/Unknown', bytes: 7});
});

test('encodeProtoAny round-trips runc options through decodeAny', () => {
  const any = encodeProtoAny('containerd.runc.v1.Options', {root: '/tmp/sandbox/runc', systemd_cgroup: true});
  assert.equal(any.type_url, 'containerd.runc.v1.Options');
  const decoded = decodeAny(any) as Record<string, unknown>;
  assert.equal(decoded.root, '/tmp/sandbox/runc');
  assert.equal(decoded.systemd_cgroup, true);
  assert.equal(decoded.binary_name, '', 'defaults filled in as proto-loader does');
});
