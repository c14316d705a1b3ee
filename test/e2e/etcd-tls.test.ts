import assert from 'node:assert/strict';
import {execFileSync, spawn, type ChildProcess} from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {sandboxEnv} from '../helpers/sandbox-env.js';
import {startUndock, stopAll} from '../helpers/undock.js';

// An etcd of its own that speaks only TLS and wants client certificates, as production clusters do.
sandboxEnv();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'undock-tls-'));
const file = (name: string) => path.join(dir, name);
let etcd: ChildProcess | undefined;
let endpoint = '';

function openssl(...args: string[]): void {
  execFileSync('openssl', args, {cwd: dir, stdio: 'ignore'});
}

/** A CA, a server certificate for 127.0.0.1 and a client certificate, all signed by the CA. */
function makeCertificates(): void {
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=undock-test-ca', '-keyout', 'ca.key', '-out', 'ca.crt');
  for (const [name, ext] of [
    ['server', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth'],
    ['client', 'extendedKeyUsage=clientAuth'],
  ] as const) {
    fs.writeFileSync(file(`${name}.ext`), ext + '\n');
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.csr`);
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '1', '-extfile', `${name}.ext`, '-out', `${name}.crt`);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

const tlsFlags = () => ['--cacert', file('ca.crt'), '--cert', file('client.crt'), '--key', file('client.key')];

function etcdctl(...args: string[]): string {
  return execFileSync('etcdctl', [...tlsFlags(), ...args], {encoding: 'utf8', env: {...process.env, ETCDCTL_API: '3', ETCDCTL_ENDPOINTS: endpoint}});
}

before(async () => {
  makeCertificates();
  const [client, peer] = [await freePort(), await freePort()];
  endpoint = `https://127.0.0.1:${client}`;
  etcd = spawn(
    'etcd',
    [
      '--name', 'tls', '--data-dir', file('data'),
      '--listen-client-urls', endpoint, '--advertise-client-urls', endpoint,
      '--listen-peer-urls', `http://127.0.0.1:${peer}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${peer}`,
      '--initial-cluster', `tls=http://127.0.0.1:${peer}`,
      '--cert-file', file('server.crt'), '--key-file', file('server.key'),
      '--client-cert-auth', '--trusted-ca-file', file('ca.crt'),
    ],
    {stdio: 'ignore'},
  );
  for (let i = 0; ; i++) {
    try {
      etcdctl('put', '/tls-test/key', 'over TLS');
      break;
    } catch (e) {
      if (i > 100) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
});

after(() => {
  stopAll();
  etcd?.kill('SIGKILL');
  fs.rmSync(dir, {recursive: true, force: true});
});

const keysOfTlsEtcd = () => ['--view', 'keys', '--etcd-endpoints', endpoint];
test('with --cacert, --cert and --key the tree and the header read a TLS-only etcd', async () => {
  const s = startUndock([...keysOfTlsEtcd(), ...tlsFlags()], {cols: 200});
  await s.waitFor(/etcd keys \(v3 API, rev \d+\) \[1\]/);
  await s.waitFor(/etcd: ● 3\.4\.\d+ \(cluster 3\.4\.\d+\)/);
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
});

test('without the CA and certificates the header says it is a TLS problem and names the flags', async () => {
  const s = startUndock(keysOfTlsEtcd(), {cols: 200});
  const screen = await s.waitFor(/TLS error \S+: check --cacert\/--cert\/--key/);
  assert.match(screen, /etcd: ✗/);
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
});
