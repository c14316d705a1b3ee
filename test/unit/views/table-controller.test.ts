import assert from 'node:assert/strict';
import {test} from 'node:test';
import {dispatchKey} from '../../../source/keys/router.js';
import {containers} from '../../../source/resources/containers/index.js';
import type {ContainerRow} from '../../../source/resources/containers/source.js';
import {AppController} from '../../../source/store/app-store.js';
import {registry} from '../../../source/views/registry.js';
import {hintsFor} from '../../../source/app/hints.js';
import {fakeContext} from '../../helpers/render-app.js';

const row = (name: string, status: string): ContainerRow =>
  ({namespace: 'default', id: name, name, image: 'busybox', status, labels: {}, createdAt: new Date(0)}) as unknown as ContainerRow;

/** A containers view showing the given rows, as if containerd had listed them. */
function showing(rows: ContainerRow[], flags = {}) {
  const app = new AppController(fakeContext({view: 'containers', ...flags}), registry);
  app.resourceStore(containers.id).setState({rows, loaded: true, stale: false});
  return app;
}

test('a binding disabled for the selected row says why and runs nothing; the hint is dimmed', () => {
  const app = showing([row('web', 'running')]);
  try {
    assert.equal(app.currentFrame().view, 'containers');
    dispatchKey(app, {name: 't', text: 't'});
    assert.deepEqual(app.ui.getState().status, {text: 'start: container web is already running', level: 'error'});
    assert.equal(app.ui.getState().dialog, undefined, 'no confirmation was asked');
    const hints = hintsFor(app, app.currentFrame());
    assert.equal(hints.find((h) => h.id === 'start')?.off, true);
    assert.equal(hints.find((h) => h.id === 'stop')?.off, false);
  } finally {
    app.close();
  }
});

test('the same key on a row where it applies asks for confirmation', () => {
  const app = showing([row('done', 'stopped(0)')]);
  try {
    dispatchKey(app, {name: 't', text: 't'});
    // Actions run asynchronously: the confirmation is the next thing to show.
    return new Promise<void>((resolve) =>
      setTimeout(() => {
        assert.match(app.ui.getState().dialog?.title ?? '', /^Start container done\?/);
        dispatchKey(app, {name: 'x', text: 'x'});
        resolve();
      }, 20),
    );
  } finally {
    setTimeout(() => app.close(), 30);
  }
});

test('under --readonly the refusal comes first, before any disabled reason', () => {
  const app = showing([row('web', 'running')], {readonly: true});
  try {
    dispatchKey(app, {name: 't', text: 't'});
    assert.equal(app.ui.getState().status?.text, 'start refused: undock runs with --readonly');
  } finally {
    app.close();
  }
});

test('with no row, a key that needs one says nothing is selected', () => {
  const app = showing([]);
  try {
    dispatchKey(app, {name: 'd', text: 'd'});
    assert.equal(app.ui.getState().status?.text, 'describe: nothing selected');
  } finally {
    app.close();
  }
});

test('the sort arrow means one thing everywhere: ↓ largest first (CPU starts there), ↑ smallest first', () => {
  const withCpu = (name: string, cpu: number) => ({...row(name, 'running'), cpuPercent: cpu}) as ContainerRow;
  const app = showing([withCpu('low', 1), withCpu('high', 50), withCpu('mid', 10)]);
  try {
    const names = () => {
      const m = app.model();
      return Array.from({length: m.count}, (_, i) => (m.rowAt(i) as ContainerRow).name);
    };
    dispatchKey(app, {name: 'C', text: 'C'});
    assert.deepEqual((app.currentFrame().state as {sort: unknown}).sort, {column: 'cpu', descending: true});
    assert.deepEqual(names(), ['high', 'mid', 'low'], '↓: largest first');
    dispatchKey(app, {name: 'C', text: 'C'});
    assert.deepEqual(names(), ['low', 'mid', 'high'], '↑: smallest first');
    dispatchKey(app, {name: 'N', text: 'N'});
    assert.deepEqual(names(), ['high', 'low', 'mid'], 'NAME starts ↑, A to Z');
  } finally {
    app.close();
  }
});
