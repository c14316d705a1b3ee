import assert from 'node:assert/strict';
import {test} from 'node:test';
import React from 'react';
import {render} from 'ink-testing-library';
import {buildConfig} from '../../../source/config.js';
import {createDataContext} from '../../../source/context.js';
import {AppController} from '../../../source/store/app-store.js';
import {App} from '../../../source/ui/app.js';
import {showingWithout} from '../../helpers/screen.js';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(frame: () => string | undefined, ok: (s: string) => boolean, ms = 5_000): Promise<string> {
  const end = Date.now() + ms;
  for (;;) {
    const s = frame() ?? '';
    if (ok(s)) return s;
    if (Date.now() > end) throw new Error(`frame never matched:\n${s}`);
    await tick(25);
  }
}

function setup(flags: Parameters<typeof buildConfig>[0]) {
  // Nothing listens on these: the app must say so and keep working.
  const config = buildConfig({address: '/nonexistent/undock-test.sock', etcdEndpoints: '127.0.0.1:2', ...flags}, {});
  const ctx = createDataContext(config);
  const app = new AppController(ctx);
  const ui = render(<App app={app} version="9.9.9" />);
  return {
    app,
    ui,
    done() {
      ui.unmount();
      ctx.close();
    },
  };
}

test('an unreachable containerd is named on screen with the fix, not a stack trace', async () => {
  const {ui, done} = setup({});
  try {
    const frame = await until(ui.lastFrame, (s) => s.includes('no such socket'));
    assert.match(frame, /containerd not reachable at \/nonexistent\/undock-test\.sock: no such socket/);
    assert.match(frame, /--address or CONTAINERD_ADDRESS/);
    assert.match(frame, /containerd: ✗ down: containerd not reachable/);
    assert.doesNotMatch(frame, /at .*\.js:\d+/);
    const header = await until(ui.lastFrame, (s) => /etcd: ✗/.test(s));
    assert.match(header, /etcd: ✗ down: etcd not reachable at http:\/\/127\.0\.0\.1:2: ECONNREFUSED/);
  } finally {
    done();
  }
});

test('the command bar completes, switches views, and reports unknown commands', async () => {
  const {ui, app, done} = setup({});
  try {
    await until(ui.lastFrame, (s) => s.includes('Images(default)'));
    ui.stdin.write(':');
    await until(ui.lastFrame, (s) => /^:/m.test(s));
    ui.stdin.write('name');
    const completing = await until(ui.lastFrame, (s) => s.includes('spaces  (tab)'));
    assert.match(completing, /:name/);
    ui.stdin.write('\t');
    ui.stdin.write('\r');
    await until(ui.lastFrame, (s) => s.includes('Namespaces['));
    assert.equal(app.currentTable().resource, 'namespaces');
    ui.stdin.write('\x1b');
    await until(ui.lastFrame, (s) => s.includes('Images(default)'));
    ui.stdin.write(':nosuch\r');
    const frame = await until(ui.lastFrame, (s) => s.includes('unknown command'));
    assert.match(frame, /unknown command ":nosuch"/);
  } finally {
    done();
  }
});

test('? shows the keys of the active view from the binding tables', async () => {
  const {ui, done} = setup({view: 'namespaces'});
  try {
    await until(ui.lastFrame, (s) => s.includes('Namespaces['));
    ui.stdin.write('?');
    const help = await until(ui.lastFrame, (s) => s.includes('Help: Namespaces'));
    assert.match(help, /enter,u\s+use namespace/);
    assert.match(help, /N\s+sort by name/);
    assert.match(help, /q,ctrl-c\s+quit/);
    ui.stdin.write('\x1b');
    // Closed: the namespaces table is back, not merely some frame without the help in it.
    await until(ui.lastFrame, showingWithout('Namespaces[', 'Help: Namespaces'));
  } finally {
    done();
  }
});

test(':ns NAME switches the namespace shown in the header and title', async () => {
  const {ui, done} = setup({});
  try {
    await until(ui.lastFrame, (s) => s.includes('Images(default)'));
    ui.stdin.write(':ns k8s.io\r');
    const frame = await until(ui.lastFrame, (s) => s.includes('Images(k8s.io)'));
    assert.match(frame, /namespace: k8s\.io/);
  } finally {
    done();
  }
});

test(':exec outside a container table says where it works, and the app keeps running', async () => {
  const {ui, done} = setup({view: 'keys'});
  try {
    await until(ui.lastFrame, (s) => s.includes('etcd keys'));
    ui.stdin.write(':exec ls\r');
    const frame = await until(ui.lastFrame, (s) => s.includes(':exec works on a container row'));
    assert.match(frame, /etcd keys/);
  } finally {
    done();
  }
});
