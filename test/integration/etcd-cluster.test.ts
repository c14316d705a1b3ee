import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {after, before, test} from 'node:test';
import {UndockError} from '../../source/data/errors.js';
import {EtcdClient} from '../../source/data/etcd/client.js';
import {clusterInfo, endpointStatus, memberList, type ClusterInfo} from '../../source/data/etcd/cluster.js';
import {countPrefix, rangeKeys} from '../../source/data/etcd/keys.js';
import {v2Available, v2List, type V2Node} from '../../source/data/etcd/v2.js';
import {watchPrefix, type WatchEvent} from '../../source/data/etcd/watch.js';
import {etcdctlEnv} from '../helpers/etcd.js';
import {sideSandbox} from '../helpers/side-sandbox.js';

// A 3-member etcd of its own (v2 API on), next to the test run's sandbox, so that killing members
// never disturbs the other tests.
const prefix = `/undock-test-${process.pid}/cluster/`;
let endpoints: string[] = [];
const clients: EtcdClient[] = [];

const cluster = sideSandbox('e3');
const sandbox = cluster.run;

function etcdctl(args: string[], extraEnv: Record<string, string> = {}): string {
  return execFileSync('etcdctl', args, {encoding: 'utf8', env: {...etcdctlEnv(endpoints.join(',')), ...extraEnv}});
}

function newClient(): EtcdClient {
  const c = new EtcdClient(endpoints);
  clients.push(c);
  return c;
}

const memberIndex = (name: string) => Number(name.slice(name.lastIndexOf('-') + 1));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

before(() => {
  sandbox('up', '--etcd-only', '--etcd-members', '3', '--etcd-v2');
  endpoints = cluster.endpoints();
  assert.equal(endpoints.length, 3, 'ETCDCTL_ENDPOINTS lists the three members');
});

after(() => {
  for (const c of clients) c.close();
  cluster.down();
});

test('memberList and clusterInfo: three members, one leader, all healthy, as etcdctl reports', async () => {
  const client = newClient();
  const {members} = await memberList(client);
  assert.equal(members.length, 3);
  assert.deepEqual(members.map((m) => memberIndex(m.name)), [0, 1, 2]);
  assert.deepEqual(members.map((m) => m.clientUrls[0]).sort(), [...endpoints].sort());
  const info = await clusterInfo(client);
  assert.equal(info.members.filter((m) => m.isLeader).length, 1);
  assert.ok(info.members.every((m) => m.healthy && !m.error), JSON.stringify(info.members.map((m) => m.error)));
  // etcdctl endpoint status: endpoint, id, version, db size, is leader, is learner, term, index, ...
  const rows = etcdctl(['endpoint', 'status']).trim().split('\n').map((l) => l.split(', '));
  const etcdctlLeader = rows.find((r) => r[4] === 'true')![1];
  assert.equal(info.leaderId, etcdctlLeader);
  assert.equal(info.members.find((m) => m.isLeader)!.id, etcdctlLeader);
  const rev = await countPrefix(client, '');
  assert.ok(BigInt(info.revision!) <= BigInt(rev.revision) && BigInt(info.revision!) > 0n);
  for (const m of info.members) {
    assert.equal(m.status?.version, '3.4.23');
    assert.equal(m.status?.memberId, m.id);
    assert.equal(m.status?.leaderId, etcdctlLeader);
    assert.ok(m.status!.dbSize > 0);
  }
  const one = await endpointStatus(client, endpoints[0]);
  assert.equal(one.endpoint, endpoints[0]);
  assert.equal(one.version, '3.4.23');
  assert.equal(one.memberId, rows.find((r) => r[0] === endpoints[0])![1]);
});

test('the v2 API, when enabled, lists directories as etcdctl v2 does', async () => {
  assert.equal(await v2Available(endpoints[0]), true);
  const dir = `/undock-test-${process.pid}`;
  // v2 keys are made here over HTTP (undock itself never writes v2)
  for (const [k, v] of [['a/b/c', 'hello'], ['a/d', 'x y'], ['top', '1']]) {
    const res = await fetch(`${endpoints[0]}/v2/keys${dir}/${k}`, {method: 'PUT', body: new URLSearchParams({value: v})});
    assert.ok(res.ok);
  }
  await fetch(`${endpoints[0]}/v2/keys${dir}/ttl?ttl=300`, {method: 'PUT', body: new URLSearchParams({value: 't'})});
  const tree = await v2List(endpoints[1], dir, {recursive: true});
  const flat: string[] = [];
  const walk = (n: V2Node) => {
    for (const c of n.nodes ?? []) {
      flat.push(c.dir ? `${c.key}/` : `${c.key}=${c.value}`);
      walk(c);
    }
  };
  walk(tree);
  assert.deepEqual(flat, [`${dir}/a/`, `${dir}/a/b/`, `${dir}/a/b/c=hello`, `${dir}/a/d=x y`, `${dir}/top=1`, `${dir}/ttl=t`]);
  const theirs = etcdctl(['ls', dir, '--recursive', '-p'], {ETCDCTL_API: '2', ETCDCTL_ENDPOINTS: endpoints[0]}).trim().split('\n').sort();
  assert.deepEqual(flat.map((f) => f.replace(/=.*$/, '')).sort(), theirs);
  const ttl = (await v2List(endpoints[0], dir)).nodes!.find((n) => n.key.endsWith('/ttl'));
  assert.ok(ttl?.ttl && ttl.ttl > 0 && ttl.ttl <= 300);
  const shallow = await v2List(endpoints[0], dir);
  assert.deepEqual(shallow.nodes?.find((n) => n.key === `${dir}/a`)?.nodes, [], 'not recursive: children of subdirectories are not listed');
  await assert.rejects(v2List(endpoints[0], `${dir}/nope`), (e: unknown) => e instanceof UndockError && e.kind === 'not-found');
});

/** Creates key i unless it exists, retrying through an election: each key is written exactly once. */
async function writeNumbered(client: EtcdClient, i: number): Promise<void> {
  const key = Buffer.from(`${prefix}key-${String(i).padStart(5, '0')}`);
  const t0 = Date.now();
  for (;;) {
    try {
      await client.write('the test', (etcd) =>
        etcd.kv.txn(
          {compare: [{key, target: 'Create', result: 'Equal', create_revision: 0}], success: [{request_put: {key, value: Buffer.from(String(i))}}], failure: []},
          {deadline: new Date(Date.now() + 2_000)},
        ),
      );
      return;
    } catch (e) {
      if (Date.now() - t0 > 30_000) throw e;
      await sleep(100);
    }
  }
}

test('a watch whose member is killed resumes on another: nothing lost, nothing doubled', async (t) => {
  const watcher = newClient();
  const writer = newClient();
  const start = await countPrefix(writer, prefix);
  let servedBy: string | undefined;
  const seen: WatchEvent[] = [];
  const resumedFrom: string[] = [];
  const disconnects: UndockError[] = [];
  const failures: unknown[] = [];
  const watch = watchPrefix(watcher, prefix, (BigInt(start.revision) + 1n).toString(), {
    onEvents: (events) => seen.push(...events),
    onCompacted: (rev) => failures.push(new Error(`compacted at ${rev}`)),
    onError: (e) => failures.push(e),
    onConnected: (member) => (servedBy ??= member),
    onResumed: (from) => {
      resumedFrom.push(from);
      resumedAt ??= Date.now();
    },
    onDisconnected: (e) => disconnects.push(e),
  });
  const total = 600;
  const killAt = 200;
  let victim = -1;
  let killedAt = 0;
  let resumedAt: number | undefined;
  try {
    await until('the watch to be accepted', () => servedBy);
    const {members} = await memberList(writer);
    const member = members.find((m) => m.id === servedBy);
    assert.ok(member, `member ${servedBy} serves the watch`);
    victim = memberIndex(member.name);
    for (let i = 0; i < total; i++) {
      if (i === killAt) {
        const leader = (await clusterInfo(writer)).leaderId === member.id;
        killedAt = Date.now();
        assert.equal(sandbox('etcd-kill', String(victim)).trim(), member.name, 'etcd-kill prints the member name');
        t.diagnostic(`killed ${member.name}${leader ? ' (the leader)' : ''}, which served the watch`);
      }
      await writeNumbered(writer, i);
    }
    await until('every numbered key', () => seen.length >= total, 30_000);
    t.diagnostic(`watch resumed ${resumedAt! - killedAt} ms after the kill; all ${total} writes done ${Date.now() - killedAt} ms after it`);
    await sleep(300); // a doubled event would arrive by now
    assert.deepEqual(failures, []);
    assert.ok(disconnects.length >= 1, 'the watch saw its member go');
    assert.ok(resumedFrom.length >= 1, 'and resumed');
    assert.equal(seen.length, total);
    const numbers = seen.map((e) => Number(e.value!.toString()));
    assert.deepEqual(numbers, Array.from({length: total}, (_, i) => i), 'every key once, in the order written');
    for (let i = 1; i < seen.length; i++) assert.ok(BigInt(seen[i].modRevision) > BigInt(seen[i - 1].modRevision), 'revisions strictly increase');
    // etcd's own record agrees, revision for revision
    const truth = await rangeKeys(writer, prefix);
    assert.deepEqual(
      seen.map((e) => [e.key.toString(), e.modRevision]),
      truth.keys.map((k) => [k.key.toString(), k.modRevision]),
    );
    // the resume started right after the last revision delivered before the break
    const from = BigInt(resumedFrom[0]);
    assert.ok(seen.some((e) => BigInt(e.modRevision) === from - 1n) || from === BigInt(start.revision) + 1n);
  } finally {
    watch.close();
    if (victim >= 0) sandbox('etcd-start', String(victim));
  }
});

test('after the leader is killed, another member leads within a few seconds; etcd-start brings it back', async (t) => {
  const client = newClient();
  const info = await until('a healthy cluster', async () => {
    const i = await clusterInfo(client);
    return i.members.every((m) => m.healthy) && i.leaderId ? i : undefined;
  });
  const leader = info.members.find((m) => m.isLeader)!;
  const index = memberIndex(leader.name);
  const t0 = Date.now();
  assert.equal(sandbox('etcd-kill', String(index)).trim(), leader.name);
  let after: ClusterInfo;
  try {
    after = await until(
      'a new leader',
      async () => {
        const i = await clusterInfo(client).catch(() => undefined);
        const next = i?.members.find((m) => m.isLeader);
        return next && next.id !== leader.id && next.healthy ? i : undefined;
      },
      15_000,
    );
  } finally {
    assert.equal(sandbox('etcd-start', String(index)).trim(), leader.name, 'etcd-start prints the member name');
  }
  const elapsed = Date.now() - t0;
  t.diagnostic(`new leader seen ${elapsed} ms after killing ${leader.name}`);
  assert.ok(elapsed < 5_000, `new leader after ${elapsed} ms`);
  const dead = after.members.find((m) => m.id === leader.id)!;
  assert.equal(dead.healthy, false);
  assert.ok(dead.error, 'the killed member shows why');
  const healed = await until('all three healthy again', async () => {
    const i = await clusterInfo(client);
    return i.members.every((m) => m.healthy) ? i : undefined;
  });
  assert.equal(healed.members.filter((m) => m.isLeader).length, 1);
});
