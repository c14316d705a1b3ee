// The run form as nerdctl run: -p through CNI (curl reaches httpd inside), -it attached to the TTY and
// detached with ctrl-p ctrl-q, `a` attaching again, ctrl-d releasing the network. Checked with ctr, curl, iptables.
import assert from 'node:assert/strict';
import {execFileSync, spawnSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import {after, test} from 'node:test';
import type {PtySession} from '../helpers/pty.js';
import {filterTo} from '../helpers/screen.js';
import {ctr} from '../helpers/ctr.js';
import {sandboxEnv} from '../helpers/sandbox-env.js';
import {startUndock, stopAll} from '../helpers/undock.js';

const env = sandboxEnv();
const run = randomBytes(3).toString('hex');
const CTRL_U = '\x15';
const names: string[] = [];

after(() => {
  stopAll();
  for (const n of names) {
    // undock's own delete releases the network; this only catches what a failed test left.
    spawnSync('ctr', ['--address', env.address, '-n', 'default', 'tasks', 'kill', '-s', 'SIGKILL', n], {stdio: 'ignore'});
  }
});

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const {port} = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

function curl(port: number): string | undefined {
  try {
    return execFileSync('curl', ['-s', '--max-time', '2', `http://127.0.0.1:${port}/`], {encoding: 'utf8'});
  } catch {
    return undefined;
  }
}

const FORM_FIELDS = 8;

/** Fills the run form's fields in order (name, command, env, ports, network, labels, mode, restart) and submits. */
async function fillRunForm(s: PtySession, values: string[]): Promise<void> {
  await filterTo(s, 'latest');
  await s.press('r');
  await s.waitFor('Run a container from docker.io/library/busybox:latest');
  for (const [i, v] of values.entries()) {
    if (i > 0) await s.press('tab');
    if (v === undefined) continue;
    await s.press(CTRL_U);
    await s.type(v);
  }
  // The rest keep their defaults: on to the last field (restart), where enter runs.
  for (let i = values.length - 1; i < FORM_FIELDS - 1; i++) await s.press('tab');
  await s.press('enter');
}

async function openContainer(s: PtySession, name: string): Promise<void> {
  await s.press('esc');
  await s.press(':');
  await s.type('co');
  await s.press('enter');
  await s.waitFor('Containers(default)');
  await filterTo(s, name);
}

test('-p HOST:80 in the run form: curl on 127.0.0.1 gets the file httpd serves inside; ctrl-d leaves no IP or rule', async () => {
  const name = `e2e-web-${run}`;
  names.push(name);
  const port = await freePort();
  const s = startUndock();
  await s.waitFor(/docker\.io\/library\/busybox\s+latest/, 30_000);
  await fillRunForm(s, [name, "sh -c 'mkdir -p /www && echo hello-from-httpd > /www/index.html && exec httpd -f -p 80 -h /www'", '', `${port}:80`, '', 'app=web']);
  await s.waitFor(new RegExp(`started ${name} \\(pid \\d+\\); ip \\d+\\.\\d+\\.\\d+\\.\\d+; ports ${port}:80/tcp`), 20_000);
  let body: string | undefined;
  for (let i = 0; i < 50 && body === undefined; i++) {
    body = curl(port);
    if (body === undefined) await new Promise((r) => setTimeout(r, 200));
  }
  assert.equal(body?.trim(), 'hello-from-httpd');
  const info = JSON.parse(ctr('default', 'containers', 'info', name)) as {Labels: Record<string, string>};
  assert.equal(info.Labels.app, 'web');
  const ip = (JSON.parse(info.Labels['undock/cni']!) as {ip: string; network: {name: string}}).ip;
  const network = (JSON.parse(info.Labels['undock/cni']!) as {network: {name: string}}).network.name;
  assert.ok(fs.existsSync(`/var/lib/cni/networks/${network}/${ip}`));

  await openContainer(s, name);
  await s.press('ctrl+d');
  await s.waitFor('its network is released (CNI DEL');
  await s.press('y');
  await s.waitFor(`deleted ${name}`, 20_000);
  assert.ok(!ctr('default', 'containers', 'ls', '-q').split('\n').includes(name));
  assert.ok(!fs.existsSync(`/var/lib/cni/networks/${network}/${ip}`), 'the IP is released');
  assert.doesNotMatch(execFileSync('iptables-save', ['-t', 'nat'], {encoding: 'utf8'}), new RegExp(`--dport ${port}\\b`), 'no DNAT rule is left');
  assert.equal(curl(port), undefined);
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
});

test('mode attached: the terminal goes to the TTY; ctrl-p ctrl-q detaches; a attaches again; exit ends it', async () => {
  const name = `e2e-tty-${run}`;
  names.push(name);
  const s = startUndock();
  await s.waitFor(/docker\.io\/library\/busybox\s+latest/, 30_000);
  await fillRunForm(s, [name, 'sh', '', '', '', '', 'attached']);
  await s.waitFor(`attached to default/${name}`, 20_000);
  await s.type('echo tty-$((6*7))\r');
  await s.waitFor('tty-42');
  await s.press('\x10'); // ctrl-p
  await s.press('\x11'); // ctrl-q
  await s.waitFor(`detached from ${name}`);
  assert.match(ctr('default', 'tasks', 'ls'), new RegExp(`^${name}\\s+\\d+\\s+RUNNING`, 'm'), 'it keeps running');

  await openContainer(s, name);
  await s.press('a');
  await s.waitFor(`attached to default/${name}`);
  await s.type('echo back-$((5*5))\r');
  await s.waitFor('back-25');
  await s.type('exit 4\r');
  await s.waitFor(`${name} exited with code 4`, 15_000);
  assert.match(ctr('default', 'tasks', 'ls'), new RegExp(`^${name}\\s+\\d+\\s+STOPPED`, 'm'));
  await s.press('ctrl+d');
  await s.press('y');
  await s.waitFor(`deleted ${name}`, 20_000);
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
});
