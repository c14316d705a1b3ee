// CRI port-forward: a local TCP listener on 127.0.0.1 whose every connection is one CRI PortForward
// stream (portforward.k8s.io framing over a v4.channel.k8s.io WebSocket) to a port in the pod's network.
import net from 'node:net';
import type WebSocketClass from 'ws';
import {UndockError} from '../errors.js';
import type {GrpcConnection} from '../grpc/connection.js';
import {PROTO, RUNTIME} from './wire.js';

/** The URL is one-time and expires after about a minute: each connection asks for its own. */
export async function portForwardUrl(conn: GrpcConnection, podSandboxId: string, ports: number[]): Promise<string> {
  const res = await conn.unary<object, {url: string}>(PROTO, RUNTIME, 'PortForward', {pod_sandbox_id: podSandboxId, port: ports});
  return res.url;
}

// One port per stream: channel 0 carries its data, channel 1 its errors (2n and 2n+1 for the n-th port).
const DATA = 0;
const ERROR = 1;

/**
 * Pipes one accepted connection through one WebSocket. The server opens each channel with the
 * port as 2 little-endian bytes, skipped here; what the client sends needs no prefix but the channel.
 */
export function pipeThroughStream(socket: net.Socket, url: string, onError: (text: string) => void, WebSocket: typeof WebSocketClass): void {
  const ws = new WebSocket(url, ['v4.channel.k8s.io'], {handshakeTimeout: 10_000, perMessageDeflate: false});
  const portSeen = [false, false];
  let errorText = '';
  socket.pause();
  ws.on('open', () => socket.resume());
  socket.on('data', (chunk: Buffer) => {
    if (ws.readyState === WebSocket.OPEN) ws.send(Buffer.concat([Buffer.from([DATA]), chunk]));
  });
  ws.on('message', (msg: Buffer) => {
    const channel = msg[0];
    let payload = msg.subarray(1);
    if (channel === DATA || channel === ERROR) {
      if (!portSeen[channel]) {
        portSeen[channel] = true;
        payload = payload.subarray(2);
      }
      if (channel === DATA && payload.length) socket.write(payload);
      if (channel === ERROR && payload.length) errorText += payload.toString('utf8');
    }
  });
  const finish = () => {
    if (errorText) onError(errorText.trim());
    socket.end();
  };
  ws.on('close', finish);
  ws.on('error', (e: Error) => {
    errorText ||= e.message;
    socket.destroy();
  });
  // CRI v4 streams cannot be half-closed: the client's end closes the whole stream.
  socket.on('end', () => ws.close());
  socket.on('error', () => ws.terminate());
  socket.on('close', () => ws.terminate());
}

export interface Forward {
  id: string;
  podId: string;
  /** namespace/name, for the list. */
  pod: string;
  containerPort: number;
  localPort: number;
  startedAt: Date;
  connections: number;
  active: number;
  lastError?: string;
}

/** The forwards this undock runs; each stops with `stop`, or when undock exits. */
export class PortForwards {
  private readonly items = new Map<string, {forward: Forward; server: net.Server; sockets: Set<net.Socket>}>();
  private next = 1;

  list(): Forward[] {
    return [...this.items.values()].map((i) => ({...i.forward}));
  }

  async start(conn: GrpcConnection, podId: string, pod: string, containerPort: number, localPort: number): Promise<Forward> {
    if (!(containerPort > 0 && containerPort < 65536)) throw new UndockError('invalid', `port-forward: ${containerPort} is not a port`);
    // Asked once up front: a stopped pod, an unknown ID or --readonly is said now, not on first use.
    await portForwardUrl(conn, podId, [containerPort]);
    // ws is loaded with the first forward, not with undock (start-up time).
    const WebSocket = (await import('ws')).default;
    const forward: Forward = {id: String(this.next++), podId, pod, containerPort, localPort, startedAt: new Date(), connections: 0, active: 0};
    const sockets = new Set<net.Socket>();
    const server = net.createServer((socket) => {
      forward.connections++;
      forward.active++;
      sockets.add(socket);
      socket.on('close', () => {
        forward.active--;
        sockets.delete(socket);
      });
      portForwardUrl(conn, podId, [containerPort]).then(
        (url) => pipeThroughStream(socket, url, (text) => (forward.lastError = text), WebSocket),
        (e: unknown) => {
          forward.lastError = e instanceof Error ? e.message : String(e);
          socket.destroy();
        },
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) =>
        reject(new UndockError('invalid', `port-forward: cannot listen on 127.0.0.1:${localPort} (${e.code ?? e.message})`, 'pick another local port, or 0 for any free one')),
      );
      server.listen(localPort, '127.0.0.1', () => resolve());
    });
    // A forward never keeps undock alive by itself.
    server.unref();
    forward.localPort = (server.address() as net.AddressInfo).port;
    this.items.set(forward.id, {forward, server, sockets});
    return {...forward};
  }

  stop(id: string): boolean {
    const item = this.items.get(id);
    if (!item) return false;
    item.server.close();
    for (const s of item.sockets) s.destroy();
    this.items.delete(id);
    return true;
  }

  stopAll(): void {
    for (const id of [...this.items.keys()]) this.stop(id);
  }
}
