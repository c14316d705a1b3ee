/**
 * The sandbox the test run started (scripts/test.sh exports its variables). Tests that need the
 * daemons fail loudly without it rather than skipping.
 */
export function sandboxEnv(): {address: string; etcdEndpoints: string; sandbox: string} {
  const address = process.env.CONTAINERD_ADDRESS;
  const etcdEndpoints = process.env.ETCDCTL_ENDPOINTS;
  const sandbox = process.env.UNDOCK_SANDBOX;
  if (!address || !etcdEndpoints || !sandbox) {
    throw new Error('no sandbox: run the tests with `npm test` (it starts one), or eval "$(npm run -s sandbox -- env)" first');
  }
  return {address, etcdEndpoints, sandbox};
}
