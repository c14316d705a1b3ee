import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, test} from 'node:test';
import {appendCrashLog, crashLogPath} from '../../source/crash-log.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'undock-crash-log-'));
after(() => fs.rmSync(dir, {recursive: true, force: true}));
const mode = (p: string) => (fs.statSync(p).mode & 0o777).toString(8);

test('the crash log is per user, under the XDG state folder (a relative XDG_STATE_HOME is ignored)', () => {
  assert.equal(crashLogPath({XDG_STATE_HOME: '/srv/state'}), '/srv/state/undock/crash.log');
  assert.equal(crashLogPath({}), path.join(os.homedir(), '.local/state/undock/crash.log'));
  assert.equal(crashLogPath({XDG_STATE_HOME: 'rel/state'}), path.join(os.homedir(), '.local/state/undock/crash.log'));
});

test('it is written 0600 in a 0700 folder, even over a looser file, and never through a symlink', () => {
  const file = crashLogPath({XDG_STATE_HOME: path.join(dir, 'state')});
  const umask = process.umask(0o000);
  try {
    appendCrashLog(file, 'first\n');
  } finally {
    process.umask(umask);
  }
  assert.equal(mode(path.dirname(file)), '700');
  assert.equal(mode(file), '600');
  fs.chmodSync(file, 0o644);
  appendCrashLog(file, 'second\n');
  assert.equal(mode(file), '600');
  assert.equal(fs.readFileSync(file, 'utf8'), 'first\nsecond\n');
  const elsewhere = path.join(dir, 'elsewhere');
  fs.writeFileSync(elsewhere, '');
  const trap = path.join(dir, 'trap', 'undock', 'crash.log');
  fs.mkdirSync(path.dirname(trap), {recursive: true});
  fs.symlinkSync(elsewhere, trap);
  assert.throws(() => appendCrashLog(trap, 'x'), /ELOOP/);
  assert.equal(fs.readFileSync(elsewhere, 'utf8'), '');
});
