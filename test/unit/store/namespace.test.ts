import assert from 'node:assert/strict';
import {test} from 'node:test';
import {runCommand} from '../../../source/keys/commands.js';
import {AppController} from '../../../source/store/app-store.js';
import {registry} from '../../../source/views/registry.js';
import {fakeContext} from '../../helpers/render-app.js';

test(':ns and :co with a name containerd could not hold are refused before it reaches the header or gRPC metadata', async () => {
  const app = new AppController(fakeContext(), registry);
  try {
    for (const line of ['ns \x1b]0;X\x07', 'co a\x1bb', 'ns ../x']) {
      runCommand(app, line);
      const {namespace, status} = app.ui.getState();
      assert.equal(namespace, 'default', line);
      assert.equal(status?.level, 'error', line);
      assert.match(status!.text, /is not a containerd namespace/, line);
      assert.doesNotMatch(status!.text, /[\x00-\x1f]/, `${JSON.stringify(line)}: no control character in the status line`);
    }
    app.setNamespace('x\x07');
    assert.equal(app.ui.getState().namespace, 'default');
    // A good name is then checked with containerd (asynchronously; this fake cannot answer, so the switch goes ahead).
    runCommand(app, 'ns k8s.io');
    for (let i = 0; i < 50 && app.ui.getState().namespace !== 'k8s.io'; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(app.ui.getState().namespace, 'k8s.io');
  } finally {
    app.close();
  }
});
