import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import {runCommand} from '../../../source/keys/commands.js';
import {AppController} from '../../../source/store/app-store.js';
import type {LogFeed} from '../../../source/views/logs/feed.js';
import {registry} from '../../../source/views/registry.js';
import {fakeContext} from '../../helpers/render-app.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A log file that keeps growing, and a log view following it. */
async function followedLog(app: AppController) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'undock-test-'));
  const file = path.join(dir, 'x.log');
  fs.writeFileSync(file, 'line 0\n');
  app.openWith('logs', {title: 'x', crumb: 'logs', source: {path: file, format: 'plain'}});
  const frame = app.currentFrame();
  assert.equal(frame.view, 'logs');
  const feed = app.feed<LogFeed>(frame.id)!;
  let n = 1;
  const writer = setInterval(() => fs.appendFileSync(file, `line ${n++}\n`), 20);
  const lines = () => feed.store.getState().lines.length;
  // It follows: new lines arrive while the frame is on the stack.
  const before = lines();
  for (let i = 0; i < 100 && lines() <= before + 2; i++) await sleep(20);
  assert.ok(lines() > before + 2, `the log is followed (${before} -> ${lines()} lines)`);
  return {
    feed,
    lines,
    async assertStopped(how: string) {
      // Some ways out are asynchronous (`:ns` asks containerd first): give them a moment.
      for (let i = 0; i < 50 && app.feed(frame.id) !== undefined; i++) await sleep(20);
      assert.equal(app.feed(frame.id), undefined, `${how}: the frame's feeds are released`);
      await sleep(100);
      const at = lines();
      await sleep(400);
      assert.equal(lines(), at, `${how}: the follower reads nothing more`);
    },
    done() {
      clearInterval(writer);
      fs.rmSync(dir, {recursive: true, force: true});
    },
  };
}

const ways: Array<[string, (app: AppController) => void]> = [
  ['esc (back)', (app) => app.back()],
  [':ns other typed in the log view', (app) => runCommand(app, 'ns other')],
  [':keys typed in the log view (a new root)', (app) => runCommand(app, 'keys')],
  ['a namespace picked by an action', (app) => app.apply({kind: 'set-namespace', namespace: 'k8s.io'})],
  ['quitting (close)', (app) => app.close()],
];

for (const [how, leave] of ways) {
  test(`a log view's follower stops when its frame goes by ${how}`, async () => {
    const app = new AppController(fakeContext({view: 'containers'}), registry);
    app.start();
    const log = await followedLog(app);
    try {
      leave(app);
      await log.assertStopped(how);
    } finally {
      log.done();
      app.close();
    }
  });
}

test('a describe frame that is gone drops its late answer; the stack below is untouched', async () => {
  const app = new AppController(fakeContext({view: 'images'}), registry);
  let answer!: (v: unknown) => void;
  app.apply({kind: 'describe', title: 'slow', load: () => new Promise((r) => (answer = r))});
  const frame = app.currentFrame();
  assert.equal(frame.view, 'describe');
  const feed = app.feed<{store: {getState(): {loading: boolean}}}>(frame.id)!;
  app.back();
  answer({late: true});
  await sleep(10);
  assert.equal(feed.store.getState().loading, true, 'the answer after the frame went is not applied');
  assert.equal(app.currentFrame().view, 'images');
  app.close();
});
