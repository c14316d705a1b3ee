import {PortForwards} from '../../source/data/cri/port-forward.js';
import React from 'react';
import {render} from 'ink-testing-library';
import {App} from '../../source/app/app.js';
import {buildConfig, type FlagValues} from '../../source/config.js';
import {createDataContext} from '../../source/context.js';
import {UndockError} from '../../source/data/errors.js';
import {dispatchKey} from '../../source/keys/router.js';
import {parseKeys} from '../../source/keys/parse.js';
import type {DataContext} from '../../source/resources/types.js';
import {AppController} from '../../source/store/app-store.js';
import type {Frame} from '../../source/store/frames.js';
import {registry, viewFlagNames} from '../../source/views/registry.js';

/** What a fake answers for anything it was not given: a call fails as an unreachable daemon's would, at any depth. */
function unreachable(label: string): unknown {
  const fail = () => Promise.reject(new UndockError('unavailable', `${label} is not there (fake context)`, 'give the test a fake answer'));
  return new Proxy(fail, {get: (_t, prop) => (prop === 'then' || typeof prop !== 'string' ? undefined : unreachable(label))});
}

/** A stand-in client: the methods given answer from memory; the rest fail as an unreachable daemon. No socket is opened. */
function fakeClient<T extends object>(label: string, methods: Partial<Record<string, unknown>>, fields: Record<string, unknown> = {}): T {
  return new Proxy(fields, {
    get(target, prop) {
      if (typeof prop !== 'string' || prop === 'then') return undefined;
      if (prop in methods) return methods[prop];
      if (prop in target) return target[prop];
      return unreachable(label);
    },
  }) as T;
}

export interface FakeClients {
  containerd?: Record<string, unknown>;
  cri?: Record<string, unknown>;
  etcd?: Record<string, unknown>;
}

/** A data context whose clients answer only what a test gives them: controllers and the store without sockets. */
export function fakeContext(flags: FlagValues = {}, clients: FakeClients = {}): DataContext & {close(): void} {
  const config = buildConfig(flags, {}, viewFlagNames);
  return {
    config,
    containerd: fakeClient('containerd', clients.containerd ?? {}),
    cri: fakeClient('CRI', clients.cri ?? {}),
    etcd: fakeClient('etcd', clients.etcd ?? {}, {endpoints: ['http://fake:2379'], readonly: config.readonly}),
    imageContent: fakeClient('image content', {}),
    memo: new Map(),
    forwards: new PortForwards(),
    close() {},
  };
}

/** A context with real clients pointed at addresses where nothing listens. */
export function unreachableContext(flags: FlagValues = {}): DataContext & {close(): void} {
  const config = buildConfig({address: '/nonexistent/undock-test.sock', etcdEndpoints: '127.0.0.1:2', ...flags}, {}, viewFlagNames);
  return createDataContext(config);
}

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The real <App> in ink-testing-library, with keys going through the real router as the CLI's input owner sends them. */
export function renderApp(ctx: DataContext & {close(): void}) {
  const app = new AppController(ctx, registry);
  app.start();
  const ui = render(<App app={app} version="9.9.9" findView={registry.find} />);
  return {
    app,
    ui,
    frame: () => ui.lastFrame() ?? '',
    /** Keys as the terminal delivers them (a chunk may hold several). */
    press(chunk: string) {
      for (const key of parseKeys(chunk)) dispatchKey(app, key);
    },
    top(): Frame<any> {
      return app.currentFrame();
    },
    /** Waits until the frame matches; the error shows the last frame. */
    async until(ok: (frame: string) => boolean, ms = 5_000): Promise<string> {
      const end = Date.now() + ms;
      for (;;) {
        const s = ui.lastFrame() ?? '';
        if (ok(s)) return s;
        if (Date.now() > end) throw new Error(`frame never matched:\n${s}`);
        await tick(20);
      }
    },
    done() {
      ui.unmount();
      app.close();
      ctx.close();
    },
  };
}
