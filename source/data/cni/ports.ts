// Published ports as `nerdctl run -p` takes them, and the portmap plugin's runtimeConfig.portMappings.
import {UndockError} from '../errors.js';

export interface PortMapping {
  hostPort: number;
  containerPort: number;
  protocol: 'tcp' | 'udp';
  /** Empty: every host address (portmap's default). */
  hostIP: string;
}

function port(text: string, spec: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > 65535) throw new UndockError('invalid', `port "${text}" in "${spec}" is not a number from 1 to 65535`);
  return n;
}

/** `[IP:]HOST:CONTAINER[/tcp|udp]`; several separated by spaces or commas. */
export function parsePorts(text: string): PortMapping[] {
  const out: PortMapping[] = [];
  for (const spec of text.split(/[\s,]+/).filter(Boolean)) {
    const [addr = '', proto = 'tcp', ...rest] = spec.split('/');
    if (rest.length > 0 || (proto !== 'tcp' && proto !== 'udp')) {
      throw new UndockError('invalid', `port "${spec}" is not HOST:CONTAINER[/tcp|udp]`, 'e.g. 8080:80 or 5353:53/udp');
    }
    const parts = addr.split(':');
    if (parts.length < 2 || parts.length > 3) throw new UndockError('invalid', `port "${spec}" is not HOST:CONTAINER[/tcp|udp]`, 'e.g. 8080:80 or 127.0.0.1:8080:80');
    const hostIP = parts.length === 3 ? parts[0]! : '';
    if (hostIP && !/^\d{1,3}(\.\d{1,3}){3}$/.test(hostIP)) throw new UndockError('invalid', `host address "${hostIP}" in "${spec}" is not an IPv4 address`);
    const mapping: PortMapping = {hostIP, hostPort: port(parts.at(-2)!, spec), containerPort: port(parts.at(-1)!, spec), protocol: proto};
    if (out.some((m) => m.hostPort === mapping.hostPort && m.protocol === mapping.protocol && m.hostIP === mapping.hostIP)) {
      throw new UndockError('invalid', `host port ${mapping.hostPort}/${mapping.protocol} is given twice`);
    }
    out.push(mapping);
  }
  return out;
}

export function formatPort(m: PortMapping): string {
  return `${m.hostIP ? `${m.hostIP}:` : ''}${m.hostPort}:${m.containerPort}/${m.protocol}`;
}
