import assert from 'node:assert/strict';
import {test} from 'node:test';
import {parseStatusAlarms} from '../../../source/data/etcd/alarms.js';
import {permissionRange, rangeEndFor} from '../../../source/data/etcd/auth.js';
import {mismatchedMembers, type MemberHash} from '../../../source/data/etcd/maintenance.js';
import {alarms, disarmLines} from '../../../source/resources/alarms/index.js';
import {hashCell, type MemberRow} from '../../../source/resources/members/maintenance.js';
import {findResource} from '../../../source/resources/registry.js';
import {permissionFromForm} from '../../../source/resources/roles/permissions.js';
import {enableLines, users} from '../../../source/resources/users/index.js';
import {fakeContext} from '../../helpers/render-app.js';

test('alarms are read from Status errors as etcd 3.4 words them, member IDs in hex', () => {
  const found = parseStatusAlarms(['memberID:3879926071696556588 alarm:NOSPACE ', 'etcdserver: no leader', 'memberID:10 alarm:CORRUPT ']);
  assert.deepEqual(found, [
    {memberId: 'a', alarm: 'CORRUPT'},
    {memberId: '35d844349a40022c', alarm: 'NOSPACE'},
  ]);
  assert.deepEqual(parseStatusAlarms([]), []);
});

test('the disarm dialog says NOSPACE returns unless space is freed first', () => {
  const lines = disarmLines({memberId: 'a', alarm: 'NOSPACE', memberName: 'm0'});
  assert.match(lines[0]!, /NOSPACE raised by member m0 \(a\)/);
  assert.ok(lines.some((l) => /compact .*defragment/.test(l)));
  assert.equal(findResource('alarm'), alarms);
});

const h = (memberId: string, hash?: string): MemberHash => ({memberId, name: memberId, endpoint: 'e', hash});

test('hashkv: the odd member out is named; a tie names every member; failures are not counted', () => {
  assert.deepEqual(mismatchedMembers([h('a', '1'), h('b', '1'), h('c', '1')]), []);
  assert.deepEqual(mismatchedMembers([h('a', '1'), h('b', '2'), h('c', '1')]), ['b']);
  assert.deepEqual(mismatchedMembers([h('a', '1'), h('b', '2')]), ['a', 'b']);
  assert.deepEqual(mismatchedMembers([h('a', '1'), h('b')]), []);
  const row = {hashkv: {hash: '42', revision: '9', mismatch: true}} as MemberRow;
  assert.equal(hashCell(row), 'MISMATCH 42 @9');
  assert.equal(hashCell({} as MemberRow), '-');
});

test('a grant form becomes the range etcdctl would send (--prefix, --from-key, a key, an explicit end)', () => {
  const prefix = permissionFromForm({type: 'readwrite', key: '/registry/', match: 'prefix'});
  assert.deepEqual(prefix, {type: 'readwrite', key: Buffer.from('/registry/'), rangeEnd: Buffer.from('/registry0')});
  assert.deepEqual(permissionFromForm({type: 'read', key: '/a', match: 'key'}).rangeEnd, Buffer.alloc(0));
  assert.deepEqual(permissionFromForm({type: 'read', key: '', match: 'prefix'}).rangeEnd, Buffer.from([0]));
  assert.deepEqual(permissionFromForm({type: 'write', key: '/a', match: 'range', end: '/b'}).rangeEnd, Buffer.from('/b'));
  assert.throws(() => permissionFromForm({type: 'all', key: '/a', match: 'key'}), /read, write, readwrite/);
  assert.throws(() => permissionFromForm({type: 'read', key: '/b', match: 'range', end: '/a'}), /after the key/);
  assert.throws(() => permissionFromForm({type: 'read', key: '', match: 'key'}), /no key/);
  const text = (b: Buffer) => b.toString();
  assert.equal(permissionRange(prefix, text), 'every key starting with /registry/');
  assert.equal(permissionRange({key: Buffer.from(''), rangeEnd: rangeEndFor(Buffer.alloc(0), 'prefix')}, text), 'every key');
  assert.equal(permissionRange({key: Buffer.from('/k'), rangeEnd: Buffer.alloc(0)}, text), 'the key /k');
  assert.equal(permissionRange({key: Buffer.from('/k'), rangeEnd: Buffer.from([0])}, text), 'every key from /k on');
});

test('enabling auth warns about a kube-apiserver without credentials, and about this undock', () => {
  const lines = enableLines(fakeContext());
  assert.ok(lines.some((l) => /kube-apiserver started without etcd credentials/.test(l)));
  assert.ok(lines.some((l) => /without a user: etcd refuses it too/.test(l)));
  assert.match(enableLines(fakeContext({user: 'root'})).at(-1)!, /connects as root/);
  assert.equal(findResource('user'), users);
});
