import assert from 'node:assert/strict';
import {test} from 'node:test';
import {growth, linearOrBetter} from '../../../bench/curve.js';

// Figures in ms at 200 / 2,000 / 10,000 items, as the containers bench measures them.
const curve = (at200: number, at2k: number, at10k: number) => growth([{n: 200, v: at200}, {n: 2_000, v: at2k}, {n: 10_000, v: at10k}], (p) => p.v);

const cases: Array<{what: string; ms: [number, number, number]; ok: boolean}> = [
  {what: 'linear: the same cost per item on both segments', ms: [20, 110, 510], ok: true},
  {what: 'better than linear', ms: [20, 110, 300], ok: true},
  {what: 'the last segment at 1.48x the first', ms: [20, 80, 435], ok: true},
  // The figure the old rule passed: 72.2 against 32.1 us an item (2.25x), held to the whole range's 66 us.
  {what: 'superlinear: the last segment at 2.25x the first', ms: [24.3, 82.0, 660], ok: false},
  {what: 'quadratic', ms: [1, 100, 2_500], ok: false},
  {what: 'the last segment cost nothing more', ms: [20, 110, 100], ok: true},
  // Noise made the first segment negative: held to the cost per item at 2,000 (55 us).
  {what: 'a negative first segment, a last one under the cost per item at the second point', ms: [120, 110, 600], ok: true},
  {what: 'a negative first segment, a last one far over it', ms: [120, 110, 1_500], ok: false},
];

for (const c of cases) {
  test(`linear or better (1.5x): ${c.what}`, () => {
    assert.equal(linearOrBetter(curve(...c.ms), 1.5), c.ok);
  });
}

test('growth: cost per item of each segment, and per item at the second point', () => {
  const g = curve(20, 110, 510);
  assert.equal(g.low, 90 / 1_800);
  assert.equal(g.high, 400 / 8_000);
  assert.equal(g.atSecond, 110 / 2_000);
});
