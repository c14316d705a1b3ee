import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {etcdctlAt} from '../helpers/etcd.js';
import {sandboxEnv} from '../helpers/sandbox-env.js';
import {assertShowing} from '../helpers/screen.js';
import {sideSandbox} from '../helpers/side-sandbox.js';
import {startUndock, stopAll} from '../helpers/undock.js';

// :leases against the test run's sandbox (its seeded lease, and leases this file grants itself);
// :members against a 3-member etcd-only cluster of its own, so that killing members disturbs no one.
const env = sandboxEnv();
const cluster = sideSandbox('ev3');
const prefix = `/undock-e2e-${process.pid}/`;
const SIZE = {cols: 180, rows: 32};
const granted: string[] = [];
let clusterEndpoints: string[] = [];

function etcdctl(args: string[], endpoints = env.etcdEndpoints): string {
  return etcdctlAt(endpoints, ...args);
}

/** Clean-up that must not hide the test's own failure (a lease revoked by the test is gone already). */
function tryQuietly(fn: () => unknown): void {
  try {
    fn();
  } catch {
    // already gone
  }
}

/** A lease with keys attached, made with etcdctl as an operator would; returns its hex ID. */
function grantLease(ttl: number, keys: string[]): string {
  const out = etcdctl(['lease', 'grant', String(ttl)]);
  const id = /^lease ([0-9a-f]+) granted/m.exec(out)?.[1];
  assert.ok(id, `etcdctl lease grant printed: ${out}`);
  granted.push(id);
  for (const k of keys) etcdctl(['put', `--lease=${id}`, k, 'v']);
  return id;
}

function leaseIds(): string[] {
  return etcdctl(['lease', 'list']).trim().split('\n').slice(1);
}

function keysUnder(p: string): string[] {
  return etcdctl(['get', '--prefix', '--keys-only', p]).split('\n').filter(Boolean);
}

before(() => {
  cluster.run('up', '--etcd-only', '--etcd-members', '3');
  clusterEndpoints = cluster.endpoints();
  assert.equal(clusterEndpoints.length, 3);
});

after(() => {
  stopAll();
  for (const id of granted) tryQuietly(() => etcdctl(['lease', 'revoke', id]));
  tryQuietly(() => etcdctl(['del', '--prefix', prefix]));
  cluster.down();
});

function rowOf(screen: string, first: string): string | undefined {
  return screen.split('\n').find((l) => l.startsWith(` ${first} `));
}

test(':leases shows the seeded lease with its key and remaining TTL; d lists every key of a lease', async () => {
  const keys = ['a', 'b', 'c', 'd', 'e'].map((k) => `${prefix}describe/${k}`);
  const id = grantLease(600, keys);
  const s = startUndock([], SIZE);
  await s.waitFor('Images(default)');
  await s.press(':');
  await s.type('lease');
  await s.press('enter');
  const screen = await s.waitFor(/Leases\[\d+\][\s\S]*\/registry\/masterleases\/10\.0\.0\.10/);
  assert.match(screen, /ID↑\s+GRANTED TTL\s+REMAINING TTL\s+KEYS\s+ATTACHED KEYS/);
  const seeded = screen.split('\n').find((l) => l.includes('/registry/masterleases/10.0.0.10'))!;
  const [seededId, grantedTtl, remaining, count] = seeded.trim().split(/\s+/);
  assert.ok(leaseIds().includes(seededId!), `${seededId} is in etcdctl lease list`);
  assert.equal(grantedTtl, '3600');
  const theirs = Number(/remaining\((\d+)s\)/.exec(etcdctl(['lease', 'timetolive', seededId!]))![1]);
  assert.ok(Math.abs(Number(remaining) - theirs) <= 5, `remaining TTL ${remaining} s, etcdctl says ${theirs} s`);
  assert.equal(count, '1');

  const row = await s.waitFor((text) => rowOf(text, id) !== undefined);
  assert.match(rowOf(row, id)!, new RegExp(`600\\s+\\d+\\s+5\\s+${prefix}describe/a, ${prefix}describe/b, ${prefix}describe/c \\+2`));
  await s.press('/');
  await s.type(id);
  await s.press('enter');
  await s.waitFor(/Leases\[1\/\d+\]/);
  await s.press('d');
  const detail = await s.waitFor(`${prefix}describe/e`);
  assert.match(detail, new RegExp(`id: "?${id}`));
  assert.match(detail, /keyCount: 5/);
  for (const k of keys) assert.ok(detail.includes(`- ${k}`), `describe lists ${k}`);
  await s.press('esc');
  await s.waitFor(/Leases\[1\/\d+\]/);
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
});

test('ctrl-d names the lease and its keys; esc keeps them; y revokes the lease and etcd deletes the keys', async () => {
  const keys = [`${prefix}revoke/one`, `${prefix}revoke/two`];
  const id = grantLease(600, keys);
  const s = startUndock(['--view', 'leases'], SIZE);
  await s.waitFor((text) => rowOf(text, id) !== undefined);
  await s.press('/');
  await s.type(id);
  await s.press('enter');
  await s.waitFor(/Leases\[1\/\d+\]/);

  await s.press('ctrl+d');
  const dialog = await s.waitFor(`Revoke lease ${id}?`);
  assert.match(dialog, new RegExp(`lease ${id} \\(granted TTL 600 s, \\d+ s left\\)`));
  assert.match(dialog, /etcd deletes the 2 key\(s\) attached to it:/);
  for (const k of keys) assert.ok(dialog.includes(k), `the dialog names ${k}`);
  await s.press('esc');
  await s.waitFor('cancelled');
  assert.deepEqual(keysUnder(`${prefix}revoke/`), keys);
  assert.ok(leaseIds().includes(id));

  await s.press('ctrl+d');
  await s.waitFor(`Revoke lease ${id}?`);
  await s.press('y');
  await s.waitFor(`revoked lease ${id} and its 2 key(s)`);
  assert.deepEqual(keysUnder(`${prefix}revoke/`), [], 'etcd deleted the attached keys');
  assert.ok(!leaseIds().includes(id), 'etcdctl lease list no longer has the lease');
  // The filtered table is showing, with no row left.
  await s.waitFor((text) => /Leases\[0\/\d+\]/.test(text) && rowOf(text, id) === undefined);
  await s.press('q');
  await s.waitExit();
});

test('--readonly refuses a revoke before asking, and the lease stays', async () => {
  const id = grantLease(600, [`${prefix}readonly/k`]);
  const s = startUndock(['--view', 'leases', '--readonly'], SIZE);
  await s.waitFor('[readonly]');
  await s.waitFor((text) => rowOf(text, id) !== undefined);
  await s.press('/');
  await s.type(id);
  await s.press('enter');
  await s.waitFor(/Leases\[1\/\d+\]/);
  await s.press('ctrl+d');
  const refused = await s.waitFor('revoke lease refused: undock runs with --readonly');
  assertShowing(refused, /Leases\[1\/\d+\]/);
  assert.doesNotMatch(refused, /Revoke lease/);
  assert.ok(leaseIds().includes(id));
  assert.deepEqual(keysUnder(`${prefix}readonly/`), [`${prefix}readonly/k`]);
  await s.press('q');
  await s.waitExit();
});

interface MemberLine {
  id: string;
  name: string;
  leader: boolean;
  health: string;
}

/** The member rows on screen, read by the member IDs etcdctl knows and the header's column positions. */
function memberLines(screen: string, ids: string[]): MemberLine[] {
  const header = screen.split('\n').find((l) => /^ ID\s+NAME/.test(l));
  if (!header) return [];
  const leaderAt = header.indexOf('LEADER');
  const healthAt = header.indexOf('HEALTH');
  // HEALTH is followed by HASHKV (the hashes of the last `h`) when the view shows it.
  const hashAt = header.indexOf('HASHKV');
  const out: MemberLine[] = [];
  for (const id of ids) {
    const line = rowOf(screen, id);
    if (!line) continue;
    const name = line.trim().split(/\s+/)[1]!;
    out.push({id, name, leader: line.slice(leaderAt, leaderAt + 'LEADER'.length).includes('*'), health: line.slice(healthAt, hashAt > healthAt ? hashAt : undefined).trim()});
  }
  return out;
}

test(':members shows the 3 members and their leader; a killed leader turns unhealthy, another leads, etcd-start heals it', async (t) => {
  const listed = etcdctl(['member', 'list'], clusterEndpoints.join(',')).trim().split('\n').map((l) => l.split(', '));
  const ids = listed.map((r) => r[0]!);
  assert.equal(ids.length, 3);
  const missingSocket = `/tmp/undock-e2e-none-${process.pid}.sock`;
  const s = startUndock(['--view', 'members', '--refresh', '1', '--etcd-endpoints', clusterEndpoints.join(','), '--address', missingSocket, '--runtime-endpoint', missingSocket], SIZE);
  let screen = await s.waitFor((text) => {
    const rows = memberLines(text, ids);
    return rows.length === 3 && rows.every((r) => r.health === 'ok') && rows.filter((r) => r.leader).length === 1;
  });
  assert.match(screen, /Members\[3\]/);
  assert.match(screen, /ID\s+NAME↑\s+LEADER\s+PEER URLS\s+CLIENT URLS\s+RAFT TERM\s+RAFT INDEX\s+DB SIZE\s+IN USE\s+VERSION\s+HEALTH\s+HASHKV/);
  // The header's first probe comes 250 ms after the first view's rows (store/health.ts): the members are drawn before it.
  assert.match(await s.waitFor(/containerd: ✗ down/), /containerd: ✗ down/, 'no containerd here, as expected');
  for (const [id, , name, peer, client] of listed) {
    assert.match(rowOf(screen, id!)!, new RegExp(`${name}\\s+\\*?\\s+${peer}\\s+${client}\\s+\\d+\\s+\\d+\\s+\\d+\\.\\d (KiB|MiB)\\s+\\d+\\.\\d (KiB|MiB)\\s+3\\.4\\.23\\s+ok`));
  }
  const leader = memberLines(screen, ids).find((r) => r.leader)!;
  const status = etcdctl(['endpoint', 'status'], clusterEndpoints.join(',')).trim().split('\n').map((l) => l.split(', '));
  assert.equal(leader.id, status.find((r) => r[4] === 'true')![1], 'the leader etcdctl endpoint status names');

  // d on the first row (sorted by name): the member with its status
  const first = memberLines(screen, ids).sort((a, b) => a.name.localeCompare(b.name))[0]!;
  await s.press('d');
  const detail = await s.waitFor(new RegExp(`memberId: "?${first.id}`));
  assert.match(detail, new RegExp(`name: ${first.name}`));
  assert.match(detail, /health: ok/);
  assert.match(detail, /raftTerm: "?\d+/);
  await s.press('esc');
  await s.waitFor(/Members\[3\]/);

  const index = leader.name.slice(leader.name.lastIndexOf('-') + 1);
  const t0 = Date.now();
  assert.equal(cluster.run('etcd-kill', index).trim(), leader.name);
  try {
    screen = await s.waitFor((text) => {
      const rows = memberLines(text, ids);
      const dead = rows.find((r) => r.id === leader.id);
      const next = rows.find((r) => r.leader);
      return rows.length === 3 && dead !== undefined && dead.health !== 'ok' && next !== undefined && next.id !== leader.id && next.health === 'ok';
    }, 15_000);
    t.diagnostic(`new leader on screen ${Date.now() - t0} ms after killing ${leader.name}`);
    assert.match(memberLines(screen, ids).find((r) => r.id === leader.id)!.health, /unreachable \(ECONNREFUSED\)/);
    assert.match(rowOf(screen, leader.id)!, /(\s+-){5}\s+unreachable/, 'no status for the killed member (term, index, size, in use, version)');
  } finally {
    assert.equal(cluster.run('etcd-start', index).trim(), leader.name);
  }
  await s.waitFor((text) => {
    const rows = memberLines(text, ids);
    return rows.length === 3 && rows.every((r) => r.health === 'ok') && rows.filter((r) => r.leader).length === 1;
  }, 15_000);
  // the short alias reaches the same view
  await s.press(':');
  await s.type('lease');
  await s.press('enter');
  await s.waitFor(/Leases\[\d+\]/);
  await s.press(':');
  await s.type('mem');
  await s.press('enter');
  await s.waitFor(/Members\[3\]/);
  await s.press('q');
  await s.waitExit();
});
