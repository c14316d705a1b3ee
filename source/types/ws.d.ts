// The part of the `ws` package (8.x) undock uses; the package ships no types of its own.
declare module 'ws' {
  import {EventEmitter} from 'node:events';
  export default class WebSocket extends EventEmitter {
    static readonly OPEN: number;
    readonly readyState: number;
    constructor(url: string, protocols?: string | string[], options?: {handshakeTimeout?: number; perMessageDeflate?: boolean});
    send(data: Buffer, cb?: (err?: Error) => void): void;
    close(code?: number): void;
    terminate(): void;
    pause(): void;
    resume(): void;
    readonly bufferedAmount: number;
    readonly protocol: string;
  }
  /** Used by the tests, as a stand-in for CRI's streaming server. */
  export class WebSocketServer extends EventEmitter {
    constructor(options: {port?: number; host?: string; handleProtocols?: (protocols: Set<string>) => string | false});
    address(): {port: number};
    close(cb?: () => void): void;
  }
}
