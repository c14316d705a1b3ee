import {execFileSync, spawn, spawnSync, type ChildProcess} from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const SSHD = '/usr/sbin/sshd';

/** Why a test of remote nodes cannot run here, or undefined when Debian's openssh-server is installed. */
export function sshdMissing(): string | undefined {
  if (!fs.existsSync(SSHD)) return `${SSHD} is not installed (Debian package openssh-server; npm test installs it as root)`;
  if (!fs.existsSync('/usr/bin/ssh')) return 'ssh is not installed (Debian package openssh-client)';
  return undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * A real OpenSSH server on a loopback port, with a host key and a user key made for it, and an
 * ssh client set-up that trusts exactly that host key: `sshCommand` is a wrapper script around the
 * system's ssh with that client config (what a user's ~/.ssh/config would hold).
 */
export class TestSshd {
  readonly dir: string;
  port = 0;
  sshCommand = '';
  private proc?: ChildProcess;

  constructor() {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ud-sshd-'));
  }

  async start(): Promise<void> {
    const d = this.dir;
    if (!this.port) {
      this.port = await freePort();
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(d, 'host_key')]);
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(d, 'user_key')]);
      fs.copyFileSync(path.join(d, 'user_key.pub'), path.join(d, 'authorized_keys'));
      const hostPub = fs.readFileSync(path.join(d, 'host_key.pub'), 'utf8').trim().split(' ').slice(0, 2).join(' ');
      fs.writeFileSync(path.join(d, 'known_hosts'), `[127.0.0.1]:${this.port} ${hostPub}\n`);
      fs.writeFileSync(
        path.join(d, 'sshd_config'),
        [
          `Port ${this.port}`,
          'ListenAddress 127.0.0.1',
          `HostKey ${path.join(d, 'host_key')}`,
          `AuthorizedKeysFile ${path.join(d, 'authorized_keys')}`,
          `PidFile ${path.join(d, 'sshd.pid')}`,
          'PermitRootLogin prohibit-password',
          'PasswordAuthentication no',
          'KbdInteractiveAuthentication no',
          'UsePAM no',
          'StrictModes no',
          'AllowStreamLocalForwarding yes',
          'AllowTcpForwarding yes',
          'LogLevel ERROR',
        ].join('\n') + '\n',
      );
      fs.writeFileSync(
        path.join(d, 'ssh_config'),
        [
          'Host *',
          `  IdentityFile ${path.join(d, 'user_key')}`,
          '  IdentitiesOnly yes',
          `  UserKnownHostsFile ${path.join(d, 'known_hosts')}`,
          '  StrictHostKeyChecking yes',
          '  LogLevel ERROR',
        ].join('\n') + '\n',
      );
      this.sshCommand = path.join(d, 'ssh');
      fs.writeFileSync(this.sshCommand, `#!/bin/sh\nexec ssh -F ${path.join(d, 'ssh_config')} "$@"\n`, {mode: 0o755});
      fs.mkdirSync('/run/sshd', {recursive: true});
    }
    this.proc = spawn(SSHD, ['-D', '-e', '-f', path.join(d, 'sshd_config')], {stdio: ['ignore', 'ignore', 'pipe']});
    await this.waitListening();
  }

  private async waitListening(): Promise<void> {
    for (let i = 0; i < 100; i++) {
      const ok = await new Promise<boolean>((resolve) => {
        const s = net.connect(this.port, '127.0.0.1', () => {
          s.destroy();
          resolve(true);
        });
        s.on('error', () => resolve(false));
      });
      if (ok) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`sshd did not listen on 127.0.0.1:${this.port}`);
  }

  get running(): boolean {
    return this.proc !== undefined && this.proc.exitCode === null;
  }

  /** sshd and every session it serves (the forward undock holds) end, as when the node goes away. */
  kill(): void {
    const pid = this.proc?.pid;
    if (!pid) return;
    // Session processes are sshd's children: they go first, so no connection outlives the server.
    const ps = spawnSync('ps', ['-o', 'pid=', '--ppid', String(pid)], {encoding: 'utf8'});
    for (const child of ps.stdout.split('\n').map((l) => l.trim()).filter(Boolean)) {
      try {
        process.kill(Number(child), 'SIGKILL');
      } catch {
        // gone already
      }
    }
    this.proc?.kill('SIGKILL');
    this.proc = undefined;
  }

  stop(): void {
    this.kill();
    fs.rmSync(this.dir, {recursive: true, force: true});
  }
}
