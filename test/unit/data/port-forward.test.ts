import assert from 'node:assert/strict';
import net from 'node:net';
import {test} from 'node:test';
import WebSocket, {WebSocketServer} from 'ws';
import {pipeThroughStream} from '../../../source/data/cri/port-forward.js';

/**
 * A stand-in for CRI's streaming server, framed as kubelet's portforward websocket handler is:
 * v4.channel.k8s.io, channel 0 data and 1 error, each opened with the port as 2 little-endian bytes.
 */
function fakeStreamingServer(reply: (data: Buffer) => {data?: string; error?: string}): Promise<{url: string; protocols: string[]; close: () => void}> {
  const protocols: string[] = [];
  const wss = new WebSocketServer({port: 0, host: '127.0.0.1', handleProtocols: (p) => (protocols.push(...p), 'v4.channel.k8s.io')});
  wss.on('connection', (ws: WebSocket) => {
    const port = Buffer.alloc(2);
    port.writeUInt16LE(8080);
    ws.send(Buffer.concat([Buffer.from([0]), port]));
    ws.send(Buffer.concat([Buffer.from([1]), port]));
    ws.on('message', (msg: Buffer) => {
      assert.equal(msg[0], 0, 'the client writes on the data channel');
      const r = reply(msg.subarray(1));
      if (r.data) ws.send(Buffer.concat([Buffer.from([0]), Buffer.from(r.data)]));
      if (r.error) {
        ws.send(Buffer.concat([Buffer.from([1]), Buffer.from(r.error)]));
        ws.close();
      }
    });
  });
  return new Promise((resolve) => wss.on('listening', () => resolve({url: `ws://127.0.0.1:${wss.address().port}/portforward/tok`, protocols, close: () => wss.close()})));
}

async function through(url: string, send: string, onError: (t: string) => void): Promise<string> {
  const server = net.createServer((socket) => pipeThroughStream(socket, url, onError, WebSocket));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  const got = await new Promise<string>((resolve) => {
    const c = net.connect(port, '127.0.0.1', () => c.write(send));
    let out = '';
    c.on('data', (d) => (out += d.toString()));
    c.on('close', () => resolve(out));
    setTimeout(() => c.end(), 300);
  });
  server.close();
  return got;
}

test('bytes go out on channel 0 and come back without the 2-byte port prefix', async () => {
  const srv = await fakeStreamingServer((d) => ({data: `echo:${d.toString()}`}));
  const errors: string[] = [];
  const out = await through(srv.url, 'GET /', (e) => errors.push(e));
  assert.equal(out, 'echo:GET /');
  assert.deepEqual(srv.protocols, ['v4.channel.k8s.io']);
  assert.deepEqual(errors, []);
  srv.close();
});

test('text on the error channel is reported and the connection ends', async () => {
  const srv = await fakeStreamingServer(() => ({error: 'failed to connect to localhost:9: connection refused'}));
  const errors: string[] = [];
  const out = await through(srv.url, 'x', (e) => errors.push(e));
  assert.equal(out, '');
  assert.deepEqual(errors, ['failed to connect to localhost:9: connection refused']);
  srv.close();
});
