import assert from 'node:assert/strict';
import {spawn, type ChildProcess} from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {Etcd3} from 'etcd3';
import {etcdctlAt} from '../helpers/etcd.js';
import {startUndock, stopAll} from '../helpers/undock.js';

// A private etcd with a 1 MiB backend quota, filled until etcd itself raises NOSPACE.
let etcd: ChildProcess | undefined;
let dataDir = '';
let endpoint = '';
const QUOTA = 1024 * 1024;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const {port} = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

before(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'undock-nospace-'));
  const [client, peer] = [await freePort(), await freePort()];
  endpoint = `http://127.0.0.1:${client}`;
  const log = fs.openSync(path.join(dataDir, 'etcd.log'), 'a');
  etcd = spawn(
    'etcd',
    [
      '--name', 'nospace', '--data-dir', path.join(dataDir, 'data'),
      '--listen-client-urls', endpoint, '--advertise-client-urls', endpoint,
      '--listen-peer-urls', `http://127.0.0.1:${peer}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${peer}`,
      '--initial-cluster', `nospace=http://127.0.0.1:${peer}`, '--quota-backend-bytes', String(QUOTA),
    ],
    {stdio: ['ignore', log, log]},
  );
  for (let i = 0; ; i++) {
    try {
      etcdctlAt(endpoint, 'endpoint', 'health');
      break;
    } catch (e) {
      if (i > 100 || etcd.exitCode !== null) throw new Error(`the private etcd did not start: ${fs.readFileSync(path.join(dataDir, 'etcd.log'), 'utf8').slice(-2000)}`, {cause: e});
      await new Promise((r) => setTimeout(r, 200));
    }
  }
});

after(async () => {
  stopAll();
  if (etcd && etcd.exitCode === null) {
    const gone = new Promise((r) => etcd!.once('exit', r));
    etcd.kill('SIGTERM');
    await Promise.race([gone, new Promise((r) => setTimeout(r, 5_000))]);
    if (etcd.exitCode === null) etcd.kill('SIGKILL');
  }
  fs.rmSync(dataDir, {recursive: true, force: true});
});

test('etcd reaching its quota raises NOSPACE: the header shows it, :alarms lists it as etcdctl does', {timeout: 180_000}, async () => {
  const s = startUndock(['--view', 'members', '--etcd-endpoints', endpoint, '--address', '/nonexistent.sock'], {cols: 180, rows: 30});
  await s.waitFor(/Members\[1\]/, 30_000);
  assert.doesNotMatch(s.text(), /ALARM/, 'no alarm before the quota is reached');
  const writer = new Etcd3({hosts: [endpoint]});
  let refused = '';
  try {
    const value = Buffer.alloc(64 * 1024, 'x');
    for (let i = 0; i < 200 && !refused; i++) {
      await writer.put(`/fill/${i}`).value(value).catch((e: Error) => {
        refused = e.message;
      });
    }
  } finally {
    writer.close();
  }
  assert.match(refused, /database space exceeded/, 'etcd refused a write at its quota');
  assert.match(etcdctlAt(endpoint, 'alarm', 'list'), /alarm:NOSPACE/);
  // polled every 10 s while etcd is up
  await s.waitFor(/etcd: ● +ALARM NOSPACE \(member [0-9a-f]+\)/, 25_000);
  await s.press(':');
  await s.type('alarms');
  await s.press('enter');
  await s.waitFor(/Alarms\[1\][\s\S]*NOSPACE\s+nospace\s+[0-9a-f]+\s+the backend reached its quota/, 30_000);
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
});
