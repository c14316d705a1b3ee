import type {Config} from './config.js';

/** A user given as "name:password" shows only its name. */
function redactUser(user: string): string {
  const i = user.indexOf(':');
  return i >= 0 ? `${user.slice(0, i)}:<redacted>` : user;
}

/** `undock config`: the merged settings, each with where it came from; passwords never shown. */
export function configReport(config: Config): string {
  const rows: Array<[string, string, string | undefined]> = [
    ['config file', config.configFile ?? '(none)', undefined],
    ['context', config.context ?? '(none)', config.contexts.length ? `of ${config.contexts.join(', ')}` : undefined],
    ['address', config.address, config.origins.address],
    ['namespace', config.namespace, config.origins.namespace],
    ['runtime-endpoint', config.runtimeEndpoint, config.origins.runtimeEndpoint],
    ['etcd-endpoints', config.etcdEndpoints.join(','), config.origins.etcdEndpoints],
    ['cacert', config.etcdCacert ?? '-', config.origins.etcdCacert],
    ['cert', config.etcdCert ?? '-', config.origins.etcdCert],
    ['key', config.etcdKey ?? '-', config.origins.etcdKey],
    ['user', config.etcdUser ? redactUser(config.etcdUser) : '-', config.origins.etcdUser],
    ['password-file', config.etcdPasswordFile ?? '-', config.origins.etcdPasswordFile],
    ['readonly', String(config.readonly), config.origins.readonly],
    ['node', config.node ?? '-', config.origins.node],
    ['view', config.view, config.origins.view],
    ['refresh', `${config.refreshMs / 1000}s`, undefined],
  ];
  for (const [alias, target] of Object.entries(config.aliases)) rows.push([`alias :${alias}`, `:${target}`, config.configFile]);
  const width = Math.max(...rows.map(([k]) => k.length));
  // Every value is the user's own (flags, variables, their file), shown as JSON where it holds a control character.
  const show = (s: string) => (/[\u0000-\u001f\u007f-\u009f]/.test(s) ? JSON.stringify(s) : s);
  return rows.map(([k, value, from]) => `${k.padEnd(width)}  ${show(value)}${from ? `  (${show(from)})` : ''}`).join('\n') + '\n';
}
