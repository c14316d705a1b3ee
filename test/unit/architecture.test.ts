import assert from 'node:assert/strict';
import path from 'node:path';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {checkArchitecture} from '../../scripts/check-architecture.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

test('source/ keeps the layering rules of scripts/check-architecture.ts', () => {
  const violations = checkArchitecture(root);
  assert.equal(violations.length, 0, `${violations.length} architecture violation(s):\n${violations.map((v) => `  ${v.message}`).join('\n')}`);
});
