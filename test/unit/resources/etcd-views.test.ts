import assert from 'node:assert/strict';
import {test} from 'node:test';
import {keyText, keysSummary, leases, revokeLines, type LeaseRow} from '../../../source/resources/leases/index.js';
import {healthText, members, type MemberRow} from '../../../source/resources/members/index.js';
import {viewRows} from '../../../source/resources/rows.js';
import {findResource} from '../../../source/resources/registry.js';

const now = 1_700_000_000_000;

function cells<Row>(columns: Array<{header: string; cell: (r: Row, now: number) => string}>, row: Row): Record<string, string> {
  return Object.fromEntries(columns.map((c) => [c.header, c.cell(row, now)]));
}

const lease = (id: string, remainingTtl: number, keys: string[], grantedTtl = 3600): LeaseRow => ({id, grantedTtl, remainingTtl, keys});

test('the views are registered under their names and aliases', () => {
  assert.equal(findResource('leases'), leases);
  assert.equal(findResource('lease'), leases);
  for (const name of ['members', 'member', 'mem']) assert.equal(findResource(name), members);
  for (const r of [leases, members]) {
    assert.equal(r.daemon, 'etcd');
    assert.equal(r.namespaced, false);
  }
  assert.equal(leases.actions.find((a) => a.keys.includes('ctrl+d'))?.dangerous, true, 'revoke is refused under --readonly');
});

test('a lease row: hex ID, TTLs in seconds, key count and the first keys then +N', () => {
  const row = lease('2bd2a21a64cad10f', 3542, ['/registry/masterleases/10.0.0.10']);
  assert.deepEqual(cells(leases.columns, row), {
    ID: '2bd2a21a64cad10f',
    'GRANTED TTL': '3600',
    'REMAINING TTL': '3542',
    KEYS: '1',
    'ATTACHED KEYS': '/registry/masterleases/10.0.0.10',
  });
  const many = cells(leases.columns, lease('0000000000000001', 5, ['/a', '/b', '/c', '/d', '/e'], 10));
  assert.equal(many.KEYS, '5');
  assert.equal(many['ATTACHED KEYS'], '/a, /b, /c +2');
  const empty = cells(leases.columns, lease('0000000000000002', -1, [], 10));
  assert.equal(empty['REMAINING TTL'], 'expired');
  assert.equal(empty['ATTACHED KEYS'], '-');
  assert.equal(keysSummary(['/a', '/b', '/c']), '/a, /b, /c');
});

test('leases sort by remaining TTL as numbers, both ways', () => {
  const rows = [lease('000000000000000a', 100, []), lease('000000000000000b', 9, []), lease('000000000000000c', 20, [])];
  const order = (descending: boolean) =>
    viewRows(leases, rows, {filter: '', sort: {column: 'remaining', descending}, now}).map((v) => (v.row as LeaseRow).remainingTtl);
  assert.deepEqual(order(false), [9, 20, 100]);
  assert.deepEqual(order(true), [100, 20, 9]);
  assert.equal(leases.columns.find((c) => c.id === 'remaining')?.sortKey, 'R');
});

test('keys are shown as text; bytes that are not printable UTF-8 are escaped', () => {
  assert.equal(keyText(Buffer.from('/registry/pods/default/nginx')), '/registry/pods/default/nginx');
  assert.equal(keyText(Buffer.from('/ünïcode/键')), '/ünïcode/键');
  assert.equal(keyText(Buffer.from([0x2f, 0x61, 0x00, 0xff, 0x5c])), '/a\\x00\\xff\\x5c');
  assert.equal(keyText(Buffer.from('/tab\there')), '/tab\\x09here');
});

test('the revoke dialog names the lease and every key that goes with it', () => {
  const lines = revokeLines(lease('00000000000000ff', 30, ['/x/one', '/x/two'], 60));
  assert.deepEqual(lines, ['lease 00000000000000ff (granted TTL 60 s, 30 s left)', 'etcd deletes the 2 key(s) attached to it:', '  /x/one', '  /x/two']);
  assert.match(revokeLines(lease('0000000000000001', 5, []))[1]!, /no keys are attached/);
  const keys = Array.from({length: 30}, (_, i) => `/k/${i}`);
  const long = revokeLines(lease('0000000000000001', 5, keys));
  assert.equal(long.length, 2 + 11 + 1, 'the dialog stays short');
  assert.equal(long.at(-1), '  ... and 19 more (d lists them all)');
});

function member(over: Partial<MemberRow> = {}): MemberRow {
  return {
    id: '87ea06a8109c7be9',
    name: 'etcd-0',
    peerUrls: ['http://127.0.0.1:2380'],
    clientUrls: ['http://127.0.0.1:2379'],
    isLearner: false,
    endpoint: 'http://127.0.0.1:2379',
    isLeader: true,
    healthy: true,
    status: {
      endpoint: 'http://127.0.0.1:2379',
      memberId: '87ea06a8109c7be9',
      leaderId: '87ea06a8109c7be9',
      isLeader: true,
      raftTerm: '4',
      raftIndex: '1234',
      raftAppliedIndex: '1234',
      dbSize: 20480,
      dbSizeInUse: 16384,
      version: '3.4.23',
      isLearner: false,
      errors: [],
      revision: '377',
    },
    ...over,
  };
}

test('a member row: leader marker, URLs, raft term and index, DB size, version, health', () => {
  assert.deepEqual(cells(members.columns, member()), {
    ID: '87ea06a8109c7be9',
    NAME: 'etcd-0',
    LEADER: '*',
    'PEER URLS': 'http://127.0.0.1:2380',
    'CLIENT URLS': 'http://127.0.0.1:2379',
    'RAFT TERM': '4',
    'RAFT INDEX': '1234',
    'DB SIZE': '20.0 KiB',
    'IN USE': '16.0 KiB',
    VERSION: '3.4.23',
    HEALTH: 'ok',
    'HASHKV (h)': '-',
  });
  const follower = cells(members.columns, member({isLeader: false, peerUrls: ['http://a:2380', 'http://b:2380']}));
  assert.equal(follower.LEADER, '');
  assert.equal(follower['PEER URLS'], 'http://a:2380,http://b:2380');
});

test('a member that does not answer keeps its row and says why', () => {
  const refused = member({
    isLeader: false,
    healthy: false,
    status: undefined,
    error:
      'etcd not reachable at http://127.0.0.1:1,http://127.0.0.1:2 (probing http://127.0.0.1:1): No connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:1. Resolution note: : is it running? set --etcd-endpoints or ETCDCTL_ENDPOINTS',
  });
  const row = cells(members.columns, refused);
  assert.equal(row.HEALTH, 'unreachable (ECONNREFUSED)');
  assert.equal(row['RAFT TERM'], '-');
  assert.equal(row['DB SIZE'], '-');
  assert.equal(row.VERSION, '-');
  assert.equal(row.LEADER, '');
  const slow = member({isLeader: false, healthy: false, error: 'etcd at http://127.0.0.1:1 did not answer in time (probing http://127.0.0.1:1): is the cluster healthy (quorum, leader)?'});
  assert.equal(healthText(slow), 'no answer in time (no leader or quorum?)');
  assert.equal(healthText(member({healthy: false, error: 'etcd: probing http://x failed: boom'})), 'etcd: probing http://x failed: boom');
  assert.equal(healthText(member({healthy: false, error: 'etcd refused x (probing http://x): etcdserver: bad'})), 'etcdserver: bad');
  const alarm = member({healthy: false, status: {...member().status!, errors: ['NOSPACE']}});
  assert.equal(healthText(alarm), 'alarm: NOSPACE');
  assert.equal(cells(members.columns, member({name: '', clientUrls: [], isLeader: false, healthy: false, status: undefined, error: 'not started yet (no client URL)'})).NAME, '(not started)');
});

test('members sort by name by default, and by DB size biggest first', () => {
  const a = member({id: 'a', name: 'etcd-1', status: {...member().status!, dbSize: 10}});
  const b = member({id: 'b', name: 'etcd-0', isLeader: false, status: {...member().status!, dbSize: 30}});
  const c = member({id: 'c', name: 'etcd-2', isLeader: false, status: undefined, healthy: false});
  const names = (column: string, descending = false) => viewRows(members, [a, b, c], {filter: '', sort: {column, descending}, now}).map((v) => (v.row as MemberRow).name);
  assert.deepEqual(names(members.defaultSort.column), ['etcd-0', 'etcd-1', 'etcd-2']);
  // DB size starts ↓ (biggest first, the unknown size last); ↑ is smallest first.
  assert.equal(members.columns.find((c) => c.id === 'db-size')?.descendingFirst, true);
  assert.deepEqual(names('db-size', true), ['etcd-0', 'etcd-1', 'etcd-2']);
  assert.deepEqual(names('db-size', false), ['etcd-2', 'etcd-1', 'etcd-0']);
  assert.deepEqual(names('leader'), ['etcd-1', 'etcd-0', 'etcd-2'], 'the leader first');
});
