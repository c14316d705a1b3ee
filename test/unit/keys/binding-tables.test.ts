import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {Binding} from '../../../source/keys/bindings.js';
import {dialogBindings, formBindings, globalBindings, promptBindings} from '../../../source/keys/modes.js';
import {AppController} from '../../../source/store/app-store.js';
import type {Frame} from '../../../source/store/frames.js';
import {helpSections} from '../../../source/views/help/model.js';
import {registry, views} from '../../../source/views/registry.js';
import type {ViewBinding} from '../../../source/views/types.js';
import {fakeContext} from '../../helpers/render-app.js';

/**
 * Opens every registered view the way a user opens it (by name, or by an action's result) and
 * hands each frame over while it is on screen.
 */
function forEveryView(app: AppController, fn: (frame: Frame) => void): void {
  for (const v of views) {
    if (v.open) app.openNamed(v.id);
    else if (v.id === 'help') app.openWith('help', {of: app.currentFrame().id});
    else if (v.id === 'logs') app.openWith('logs', {title: 't', crumb: 'logs', source: {path: '/nonexistent/undock.log', format: 'plain'}});
    else if (v.id === 'describe') app.openWith('describe', {title: 't', load: async () => ({})});
    else app.openWith(v.id, {params: {namespace: 'default', id: 'x', name: 'x', pod: 'p'}, crumb: v.id});
    const f = app.currentFrame();
    assert.equal(f.view, v.id, `${v.id} opens`);
    fn(f);
  }
}

function duplicates(bindings: Binding[]): string[] {
  const seen = new Map<string, string>();
  const dup: string[] = [];
  for (const b of bindings) {
    for (const k of b.keys) {
      if (seen.has(k)) dup.push(`${k}: ${seen.get(k)} and ${b.id}`);
      seen.set(k, b.id);
    }
  }
  return dup;
}

function withApp(fn: (app: AppController) => void): void {
  const ctx = fakeContext();
  const app = new AppController(ctx, registry);
  try {
    fn(app);
  } finally {
    app.close();
  }
}

test('every mode table binds each key once, and every binding has a label and keys', () => {
  for (const [mode, table] of Object.entries({global: globalBindings, dialog: dialogBindings, form: formBindings, prompt: promptBindings})) {
    assert.deepEqual(duplicates(table), [], `${mode} binds a key twice`);
    for (const b of table) assert.ok(b.label && b.keys.length, `${mode}/${b.id} has a label and keys`);
  }
});

test('every view binds each key once, with a label, and the ids are unique', () => {
  withApp((app) => {
    forEveryView(app, (frame) => {
      const own = registry.find(frame.view)!.bindings(app, frame);
      assert.ok(own.length > 0, `${frame.view} has keys`);
      assert.deepEqual(duplicates(own), [], `${frame.view} binds a key twice`);
      assert.equal(new Set(own.map((b) => b.id)).size, own.length, `${frame.view}: ids are unique`);
      for (const b of own) assert.ok(b.label.trim() && b.keys.length, `${frame.view}/${b.id} has a label and keys`);
    });
  });
});

test('? help lists exactly the keys the router consults, for every view and mode', () => {
  withApp((app) => {
    forEveryView(app, (frame) => {
      app.openWith('help', {of: frame.id});
      const help = app.currentFrame() as Frame<{of: number}>;
      const {sections} = helpSections(app, help);
      const own = registry.find(frame.view)!.bindings(app, frame) as ViewBinding[];
      // The view's own section is its binding table, in order.
      assert.deepEqual(
        sections[0]!.bindings.map((b) => [b.id, b.keys]),
        own.map((b) => [b.id, b.keys]),
        `help for ${frame.view} lists its bindings`,
      );
      // Global keys the view does not take over are listed, and only those.
      const ownKeys = new Set(own.flatMap((b) => b.keys));
      const hasFilter = Boolean(registry.find(frame.view)!.filter);
      const reachable = globalBindings.filter((b) => !b.keys.some((k) => ownKeys.has(k)) && (b.id !== 'filter' || hasFilter));
      assert.deepEqual(sections[1]!.bindings.map((b) => b.id), reachable.map((b) => b.id), `general keys in help for ${frame.view}`);
      const listed = new Set(sections.flatMap((s) => s.bindings.map((b) => b.id + ':' + b.keys.join(','))));
      for (const b of [...dialogBindings, ...formBindings, ...promptBindings]) assert.ok(listed.has(b.id + ':' + b.keys.join(',')), `help lists ${b.id}`);
      app.back();
    });
  });
});

test('under --readonly every dangerous binding is refused before it runs, whatever the selection', async () => {
  const {refusal} = await import('../../../source/keys/run-binding.js');
  const ctx = fakeContext({readonly: true});
  const app = new AppController(ctx, registry);
  try {
    let dangerous = 0;
    forEveryView(app, (frame) => {
      for (const b of registry.find(frame.view)!.bindings(app, frame) as ViewBinding[]) {
        if (!b.dangerous) continue;
        dangerous++;
        const env = {app, frame, model: app.model(frame), key: {name: b.keys[0]!, text: ''}};
        assert.match(refusal(app, b, env) ?? '', /refused: undock runs with --readonly/, `${frame.view}/${b.id}`);
      }
    });
    assert.ok(dangerous >= 15, `the views have their dangerous keys (${dangerous})`);
  } finally {
    app.close();
  }
});
