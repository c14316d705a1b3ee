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
  }
}
