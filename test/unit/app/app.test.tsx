import assert from 'node:assert/strict';
import {test} from 'node:test';
import {renderApp, unreachableContext} from '../../helpers/render-app.js';

test('an unreachable containerd is named on screen with the fix, not a stack trace', async () => {
  const t = renderApp(unreachableContext());
  try {
    const frame = await t.until((s) => s.includes('Images(default)') && s.includes('retrying'));
    assert.match(frame, /containerd not reachable at \/nonexistent\/undock-test\.sock: no such socket/);
    assert.match(frame, /--address or CONTAINERD_ADDRESS/);
    assert.match(frame, /containerd: ✗ down: containerd not reachable/);
    assert.doesNotMatch(frame, /at .*\.js:\d+/);
    const header = await t.until((s) => /etcd: ✗/.test(s));
    assert.match(header, /etcd: ✗ down: etcd not reachable at http:\/\/127\.0\.0\.1:2: ECONNREFUSED/);
  } finally {
    t.done();
  }
});

test('the command bar completes, switches views, and reports unknown commands', async () => {
  const t = renderApp(unreachableContext());
  try {
    await t.until((s) => s.includes('Images(default)'));
    t.press(':');
    await t.until((s) => /^:/m.test(s));
    t.press('name');
    const completing = await t.until((s) => s.includes('spaces  (tab)'));
    assert.match(completing, /:name/);
    t.press('\t');
    t.press('\r');
    await t.until((s) => s.includes('Namespaces['));
    assert.equal(t.top().view, 'namespaces');
    t.press('\x1b');
    await t.until((s) => s.includes('Images(default)'));
    t.press(':nosuch\r');
    const frame = await t.until((s) => s.includes('unknown command'));
    assert.match(frame, /unknown command ":nosuch"/);
  } finally {
    t.done();
  }
});

test('? shows the keys of the active view from the binding tables, and esc closes it', async () => {
  const t = renderApp(unreachableContext({view: 'namespaces'}));
  try {
    await t.until((s) => s.includes('Namespaces['));
    t.press('?');
    const help = await t.until((s) => s.includes('Help: Namespaces'));
    assert.match(help, /enter,u\s+use namespace/);
    assert.match(help, /N\s+sort by name/);
    assert.match(help, /q,ctrl-c\s+quit/);
    t.press('\x1b');
    const back = await t.until((s) => s.includes('Namespaces['));
    assert.doesNotMatch(back, /Help: Namespaces/);
  } finally {
    t.done();
  }
});

test(':ns NAME switches the namespace shown in the header and title', async () => {
  const t = renderApp(unreachableContext());
  try {
    await t.until((s) => s.includes('Images(default)'));
    t.press(':ns k8s.io\r');
    const frame = await t.until((s) => s.includes('Images(k8s.io)'));
    assert.match(frame, /namespace: k8s\.io/);
  } finally {
    t.done();
  }
});

test(':exec outside a container table says where it works, and the app keeps running', async () => {
  const t = renderApp(unreachableContext({view: 'keys'}));
  try {
    await t.until((s) => s.includes('etcd keys'));
    t.press(':exec ls\r');
    const frame = await t.until((s) => s.includes(':exec works on a container row'));
    assert.match(frame, /etcd keys/);
  } finally {
    t.done();
  }
});

test('a long status message wraps instead of being cut, and :messages lists every message whole, newest first', async () => {
  const t = renderApp(unreachableContext({view: 'namespaces'}));
  try {
    await t.until((s) => s.includes('Namespaces['));
    const long = `pull failed: Head "https://registry.example/v2/library/busybox/manifests/latest": dial tcp 127.0.0.1:5000: connect: connection refused ${'x'.repeat(60)} END-OF-MESSAGE`;
    t.app.setStatus('first message');
    t.app.setStatus(long, 'error');
    const wrapped = await t.until((s) => s.includes('END-OF-MESSAGE'));
    // The message's start and its end are both on screen: it wrapped rather than being cut with an ellipsis.
    const lines = wrapped.split('\n');
    const end = lines.findIndex((l) => l.includes('END-OF-MESSAGE'));
    assert.ok(lines.slice(Math.max(0, end - 3), end + 1).join(' ').includes('pull failed: Head "https://registry.example'), 'the start of the message is there too');
    assert.ok(!lines.slice(end - 3, end + 1).some((l) => l.trimEnd().endsWith('…')), 'not cut with an ellipsis');
    assert.ok(wrapped.split('\n').length <= 30, 'the frame stays within the terminal');
    t.press(':messages\r');
    const list = await t.until((s) => s.includes('Messages ['));
    assert.match(list, /Messages \[\d+\]/);
    const flat = list.replace(/\n/g, '');
    assert.ok(flat.includes('END-OF-MESSAGE'), 'the long message is there whole');
    assert.ok(flat.indexOf('END-OF-MESSAGE') < flat.indexOf('first message'), 'newest first');
    assert.match(list, /\d\d:\d\d:\d\d error/);
    t.press('\x1b');
    await t.until((s) => s.includes('Namespaces['));
  } finally {
    t.done();
  }
});
