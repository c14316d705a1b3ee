import type {Config} from './config.js';
import {createDataContext} from './context.js';
import {errorLine} from './data/errors.js';
import {safeText} from './data/text/sanitize.js';

/** `undock version`: undock's own version, then each daemon's as far as it answers (like `ctr version`). */
export async function versionReport(config: Config, undockVersion: string, etcdPassword?: string): Promise<string> {
  const ctx = createDataContext(config, {etcdPassword});
  try {
    const [c, r, e] = await Promise.allSettled([
      ctx.containerd.version({deadlineMs: 3_000}),
      ctx.cri.version({deadlineMs: 3_000}),
      ctx.etcd.version(3_000),
    ]);
    // What the daemons say is printed straight to the terminal: each of their values is sanitised.
    const lines = [`undock:\n  Version: ${undockVersion}\n  Node: ${process.version}`];
    lines.push(
      c.status === 'fulfilled'
        ? `containerd (${config.address}):\n  Version: ${safeText(c.value.version)}\n  Revision: ${safeText(c.value.revision)}`
        : `containerd (${config.address}):\n  ${errorLine(c.reason)}`,
    );
    lines.push(
      r.status === 'fulfilled'
        ? `CRI runtime (${config.runtimeEndpoint}):\n  RuntimeName: ${safeText(r.value.runtime_name)}\n  RuntimeVersion: ${safeText(r.value.runtime_version)}\n  RuntimeApiVersion: ${safeText(r.value.runtime_api_version)}`
        : `CRI runtime (${config.runtimeEndpoint}):\n  ${errorLine(r.reason)}`,
    );
    lines.push(
      e.status === 'fulfilled'
        ? `etcd (${safeText(e.value.endpoint)}):\n  Server version: ${safeText(e.value.server)}\n  Cluster version: ${safeText(e.value.cluster)}`
        : `etcd (${ctx.etcd.endpoints.join(',')}):\n  ${errorLine(e.reason)}`,
    );
    return lines.join('\n');
  } finally {
    ctx.close();
  }
}
