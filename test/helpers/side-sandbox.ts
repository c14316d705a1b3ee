import {execFileSync} from 'node:child_process';
import {repoRoot} from './pty.js';
import {sandboxEnv} from './sandbox-env.js';

/**
 * A sandbox of a test's own beside the test run's (an etcd with auth, v2 or three members, say),
 * so what the test does to it disturbs no other test. `down()` purges it.
 */
export function sideSandbox(suffix: string) {
  const dir = `${sandboxEnv().sandbox}-${suffix}`;
  const run = (...args: string[]): string =>
    execFileSync('bash', ['scripts/sandbox.sh', ...args], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: {...process.env, UNDOCK_SANDBOX: dir},
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  return {
    dir,
    run,
    /** The etcd client URLs its `env` exports, one per member. */
    endpoints: (): string[] => {
      const line = /^export ETCDCTL_ENDPOINTS=(.*)$/m.exec(run('env'));
      if (!line) throw new Error(`the sandbox at ${dir} exports no etcd endpoints`);
      return line[1]!.split(',');
    },
    down: (): void => {
      run('down', '--purge');
    },
  };
}
