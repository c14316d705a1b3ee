import assert from 'node:assert/strict';
import fs from 'node:fs';
import {after, before, test} from 'node:test';
import {Etcd3} from 'etcd3';
import {formatBytes} from '../../source/resources/format.js';
import {etcdctlAt} from '../helpers/etcd.js';
import {sideSandbox} from '../helpers/side-sandbox.js';
import {startUndock, stopAll} from '../helpers/undock.js';
import type {PtySession} from '../helpers/pty.js';

// A three-member etcd of its own: compaction, defragmentation and a moved leader disturb no other test.
const cluster = sideSandbox('mt');
let endpoints: string[] = [];
const etcdctl = (...args: string[]) => etcdctlAt(endpoints, ...args);
const SIZE = {cols: 200, rows: 32};
// The machine is shared by many test runs: generous waits, the assertions stay exact.
const SLOW = 30_000;

interface MemberStatus {
  Endpoint: string;
  Status: {header: {member_id: number; revision: number}; leader: number; dbSize: number; dbSizeInUse: number; raftIndex: number};
}

/** `etcdctl endpoint status -w json` for every member, in the sandbox's member order. */
function statuses(): MemberStatus[] {
  return JSON.parse(etcdctl('endpoint', 'status', '-w', 'json')) as MemberStatus[];
}

function leaderIndex(): number {
  return statuses().findIndex((s) => BigInt(s.Status.header.member_id) === BigInt(s.Status.leader));
}

function undockOn(view: string): PtySession {
  return startUndock(['--view', view, '--etcd-endpoints', endpoints.join(','), '--address', '/nonexistent.sock'], SIZE);
}

/** The members view with its three rows loaded; the first row (member 0) selected. */
async function membersView(): Promise<PtySession> {
  const s = undockOn('members');
  await s.waitFor(/Members\[3\][\s\S]*undock-\S+-2/, SLOW);
  return s;
}

before(() => {
  cluster.run('up', '--etcd-only', '--etcd-members', '3');
  endpoints = cluster.endpoints();
});

after(() => {
  stopAll();
  cluster.down();
});

test('compact names the history it drops, then etcd refuses reads below it; defragment gives the space back on that member only', {timeout: 180_000}, async () => {
  const writer = new Etcd3({hosts: endpoints});
  try {
    const value = 'x'.repeat(8 * 1024);
    for (let i = 0; i < 200; i += 20) await Promise.all(Array.from({length: 20}, (_, j) => writer.put(`/fill/${i + j}`).value(value)));
    await writer.delete().prefix('/fill/');
  } finally {
    writer.close();
  }
  const revision = statuses()[0]!.Status.header.revision;
  const s = await membersView();
  await s.press('c');
  await s.waitFor(new RegExp(`Compact the keyspace[\\s\\S]*revision:\\s+${revision}`), SLOW);
  await s.press('enter');
  const dialog = await s.waitFor(`Compact at revision ${revision}?`, SLOW);
  assert.match(dialog, new RegExp(`older than revision ${revision} is dropped, for good`));
  assert.match(dialog, /reads and watches at revisions below/);
  await s.press('y');
  await s.waitFor(`compacted at revision ${revision}`, SLOW);
  assert.throws(() => etcdctl('get', '/fill/0', `--rev=${revision - 1}`), /compacted/, 'etcd refuses a read below the compaction');

  // bolt counts the compacted pages free only at a later write's commit: write, then look.
  let before = statuses();
  for (let i = 0; i < 50 && before.some((m) => m.Status.dbSize - m.Status.dbSizeInUse < 1024 * 1024); i++) {
    etcdctl('put', '/after-compact', String(i));
    await new Promise((r) => setTimeout(r, 300));
    before = statuses();
  }
  assert.ok(before[0]!.Status.dbSize - before[0]!.Status.dbSizeInUse > 1024 * 1024, `member 0 has space to give back: ${JSON.stringify(before[0]!.Status)}`);
  await s.press('f');
  await s.waitFor(/Defragment member undock-\S+-0\?[\s\S]*allocated/, SLOW);
  await s.press('y');
  const done = await s.waitFor(/defragmented undock-\S+-0: .* before, .* after/, SLOW);
  const afterDefrag = statuses();
  assert.ok(afterDefrag[0]!.Status.dbSize < before[0]!.Status.dbSize, `member 0 shrank: ${before[0]!.Status.dbSize} -> ${afterDefrag[0]!.Status.dbSize}`);
  assert.equal(afterDefrag[1]!.Status.dbSize, before[1]!.Status.dbSize, 'member 1 was not defragmented: one at a time');
  assert.ok(done.includes(`before, ${formatBytes(afterDefrag[0]!.Status.dbSize)} allocated`), `the size after is the one etcdctl reports: ${done}`);
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
});

test('hashkv compares every member at one revision; the hashes are the ones etcdctl reports', {timeout: 120_000}, async () => {
  // a revision past any compaction, so etcdctl can hash at it too
  etcdctl('put', '/hash/marker', 'v');
  const s = await membersView();
  await s.press('h');
  const agree = /3 member\(s\) agree at revision (\d+) \(hash (\d+)\)/;
  const [, rev, hash] = agree.exec(await s.waitFor(agree, SLOW))!;
  // the rows show it once the view has reloaded
  const screen = await s.waitFor((text) => text.split('\n').filter((l) => l.includes(` ${hash} @${rev}`)).length === 3, SLOW);
  const theirs = JSON.parse(etcdctl('endpoint', 'hashkv', `--rev=${rev}`, '-w', 'json')) as Array<{HashKV: {hash: number}}>;
  assert.equal(theirs.length, 3);
  for (const t of theirs) assert.equal(String(t.HashKV.hash), hash);
  assert.doesNotMatch(screen, /MISMATCH/);
  // Endpoint status: each row's DB size allocated and in use, and raft index, as etcdctl endpoint status has them.
  const shows = (text: string) =>
    statuses().every((m, i) => {
      const row = text.split('\n').find((l) => new RegExp(`undock-\\S+-${i} `).test(l)) ?? '';
      return row.includes(` ${formatBytes(m.Status.dbSize)} `) && row.includes(` ${formatBytes(m.Status.dbSizeInUse)} `) && new RegExp(` ${m.Status.raftIndex} `).test(row);
    });
  await s.waitFor(shows, SLOW);
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
});

test('a snapshot is saved with progress to a new file that etcdctl snapshot status reads; an existing file is never overwritten', {timeout: 120_000}, async () => {
  const file = `${cluster.dir}/snap-${process.pid}.db`;
  fs.rmSync(file, {force: true});
  etcdctl('put', '/snap/marker', 'here');
  const s = await membersView();
  await s.press('w');
  await s.waitFor('Save a snapshot of member', SLOW);
  await s.type(file);
  await s.press('enter');
  await s.waitFor(/saved a snapshot of undock-\S+-0 to .*snap-\d+\.db: [\d.]+ [KM]iB/, SLOW);
  const status = JSON.parse(etcdctl('snapshot', 'status', file, '-w', 'json')) as {revision: number; totalKey: number; totalSize: number};
  assert.ok(status.totalKey >= 1, `the snapshot holds keys: ${JSON.stringify(status)}`);
  assert.ok(status.revision >= statuses()[0]!.Status.header.revision - 1, 'the snapshot is of now');
  assert.equal((fs.statSync(file).mode & 0o777).toString(8), '600');
  assert.equal(fs.existsSync(`${file}.part`), false);
  const size = fs.statSync(file).size;
  await s.press('w');
  await s.waitFor('Save a snapshot of member', SLOW);
  await s.type(file);
  await s.press('enter');
  await s.waitFor('exists already', SLOW);
  assert.equal(fs.statSync(file).size, size, 'the first snapshot is untouched');
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
  fs.rmSync(file, {force: true});
});

test('move leader: the selected follower leads afterwards, as etcdctl endpoint status says', {timeout: 120_000}, async () => {
  const leader = leaderIndex();
  assert.ok(leader >= 0, 'a leader');
  const target = (leader + 1) % 3;
  const s = await membersView();
  for (let i = 0; i < target; i++) await s.press('j');
  await s.press('m');
  await s.waitFor(new RegExp(`Move the leader to undock-\\S+-${target}\\?`), SLOW);
  await s.press('y');
  await s.waitFor(new RegExp(`moved the leader from undock-\\S+-${leader} to undock-\\S+-${target}`), SLOW);
  assert.equal(leaderIndex(), target);
  // On the leader itself the key says why it cannot.
  await s.press('m');
  await s.waitFor('it is the leader already', SLOW);
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
});

test('an alarm raised shows in the header at once; :alarms lists it and disarms it after a confirmation', {timeout: 120_000}, async () => {
  const s = undockOn('members');
  await s.waitFor(/Members\[3\]/, SLOW);
  // etcdctl cannot raise an alarm; the raw API can (as etcd does when the quota is reached).
  const raw = new Etcd3({hosts: [endpoints[1]!]});
  let memberHex = '';
  try {
    const st = await raw.maintenance.status();
    memberHex = BigInt(st.header.member_id).toString(16);
    await raw.maintenance.alarm({action: 'Activate', memberID: st.header.member_id, alarm: 'Nospace'});
  } finally {
    raw.close();
  }
  assert.match(etcdctl('alarm', 'list'), /alarm:NOSPACE/);
  // The poll is every 10 s: at most that, plus this machine's load.
  await s.waitFor(new RegExp(`etcd: ● +ALARM NOSPACE \\(member ${memberHex}\\)`), 20_000);
  await s.press(':');
  await s.type('alarms');
  await s.press('enter');
  await s.waitFor(new RegExp(`Alarms\\[1\\][\\s\\S]*NOSPACE\\s+undock-\\S+-1\\s+${memberHex}`), SLOW);
  await s.press('ctrl+d');
  const dialog = await s.waitFor('Disarm the NOSPACE alarm', SLOW);
  assert.match(dialog, /raised again at the next write unless space was freed/);
  await s.press('y');
  await s.waitFor(`disarmed NOSPACE of member undock-`, SLOW);
  assert.equal(etcdctl('alarm', 'list').trim(), '', 'etcd holds no alarm');
  await s.waitFor((screen) => /etcd: ●/.test(screen) && !/ALARM/.test(screen.split('\n').slice(0, 4).join('\n')), 20_000);
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
});
