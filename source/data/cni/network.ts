// A container's own network through CNI, as nerdctl gives one: a conflist (bridge + portmap), ADD in order, DEL in reverse.
import fs from 'node:fs';
import {UndockError} from '../errors.js';
import {execPlugin, type PluginCall} from './exec-plugin.js';
import {createNetns, removeNetns} from './netns.js';
import type {PortMapping} from './ports.js';

export interface NetworkList {
  cniVersion: string;
  name: string;
  plugins: Array<{type: string; capabilities?: Record<string, boolean>; [key: string]: unknown}>;
}

/** Used when UNDOCK_CNI_CONFLIST names no file: nerdctl's default "bridge" network, under undock's own names. */
export const DEFAULT_NETWORK: NetworkList = {
  cniVersion: '1.0.0',
  name: 'undock',
  plugins: [
    {
      type: 'bridge',
      bridge: 'undock0',
      isGateway: true,
      ipMasq: true,
      hairpinMode: true,
      ipam: {type: 'host-local', ranges: [[{subnet: '10.77.0.0/24', gateway: '10.77.0.1'}]], routes: [{dst: '0.0.0.0/0'}]},
    },
    {type: 'portmap', capabilities: {portMappings: true}},
  ],
};

/** What DEL needs, kept in the container's `undock/cni` label so a removal finds it whoever runs it, whenever. */
export interface NetworkAttachment {
  containerId: string;
  netns: string;
  ifname: string;
  ports: PortMapping[];
  ip?: string;
  network: NetworkList;
}

export const CNI_LABEL = 'undock/cni';

export function loadNetworkList(file: string | undefined): NetworkList {
  if (!file) return DEFAULT_NETWORK;
  let parsed: NetworkList;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as NetworkList;
  } catch (e) {
    throw new UndockError('invalid', `cannot read the CNI network list ${file}: ${(e as Error).message}`, 'fix UNDOCK_CNI_CONFLIST');
  }
  if (!parsed.name || !parsed.cniVersion || !Array.isArray(parsed.plugins) || parsed.plugins.length === 0) {
    throw new UndockError('invalid', `${file} is not a CNI network list (name, cniVersion, plugins)`, 'fix UNDOCK_CNI_CONFLIST');
  }
  return parsed;
}

function pluginConfig(list: NetworkList, plugin: NetworkList['plugins'][number], ports: PortMapping[], prevResult?: unknown): object {
  const conf: Record<string, unknown> = {...plugin, name: list.name, cniVersion: list.cniVersion};
  if (prevResult !== undefined) conf.prevResult = prevResult;
  // As libcni: runtime config goes only to plugins that declare the capability.
  if (plugin.capabilities?.portMappings && ports.length > 0) {
    conf.runtimeConfig = {portMappings: ports.map((p) => ({hostPort: p.hostPort, containerPort: p.containerPort, protocol: p.protocol, ...(p.hostIP ? {hostIP: p.hostIP} : {})}))};
  }
  return conf;
}

function firstIp(result: unknown): string | undefined {
  const ips = (result as {ips?: Array<{address?: string}>} | undefined)?.ips ?? [];
  return ips[0]?.address?.split('/')[0];
}

/** Tears the attachment down: DEL through every plugin in reverse order, then the namespace goes. Safe to repeat. */
export async function detachNetwork(a: NetworkAttachment, pluginDirs: string[]): Promise<void> {
  const call: PluginCall = {command: 'DEL', containerId: a.containerId, netns: fs.existsSync(a.netns) ? a.netns : '', ifname: a.ifname, pluginDirs};
  const failed: string[] = [];
  for (const plugin of [...a.network.plugins].reverse()) {
    await execPlugin(call, pluginConfig(a.network, plugin, a.ports)).catch((e: unknown) => failed.push((e as Error).message));
  }
  if (failed.length) throw new UndockError('unknown', failed.join('; '), `the network namespace ${a.netns} is kept so removing the container can try again`);
  await removeNetns(a.netns);
}

/**
 * A new network namespace at `netns`, with loopback up and the network list's interface (ADD through
 * every plugin in order, each given the one before's result). A failure undoes what was done.
 */
export async function attachNetwork(
  o: {containerId: string; netns: string; ports: PortMapping[]; network: NetworkList; pluginDirs: string[]},
): Promise<NetworkAttachment> {
  await createNetns(o.netns);
  const attachment: NetworkAttachment = {containerId: o.containerId, netns: o.netns, ifname: 'eth0', ports: o.ports, network: o.network};
  try {
    const lo: PluginCall = {command: 'ADD', containerId: o.containerId, netns: o.netns, ifname: 'lo', pluginDirs: o.pluginDirs};
    await execPlugin(lo, {cniVersion: o.network.cniVersion, name: 'cni-loopback', type: 'loopback'});
    const call: PluginCall = {...lo, ifname: attachment.ifname};
    let prev: unknown;
    for (const plugin of o.network.plugins) prev = await execPlugin(call, pluginConfig(o.network, plugin, o.ports, prev));
    attachment.ip = firstIp(prev);
    return attachment;
  } catch (e) {
    await detachNetwork(attachment, o.pluginDirs).catch(() => removeNetns(o.netns).catch(() => undefined));
    throw e;
  }
}

/** The attachment a container's labels hold, if it has one. */
export function attachmentOf(labels: Record<string, string> | undefined): NetworkAttachment | undefined {
  const text = labels?.[CNI_LABEL];
  if (!text) return undefined;
  try {
    return JSON.parse(text) as NetworkAttachment;
  } catch {
    throw new UndockError('invalid', `the ${CNI_LABEL} label is not JSON`, 'remove the network by hand (CNI DEL) and the label');
  }
}
