import assert from 'node:assert/strict';
import {test} from 'node:test';
import {ageChangesAt, formatAge} from '../../../source/resources/format.js';
import {fakeContext, renderApp} from '../../helpers/render-app.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('ageChangesAt is the first moment formatAge shows another text', () => {
  const created = new Date(1_000_000_000_000);
  for (const elapsed of [0, 999, 1_000, 59_500, 119_999, 120_000, 150_000, 7_199_000, 7_200_000, 3 * 86_400_000 + 5]) {
    const now = created.getTime() + elapsed;
    const at = ageChangesAt(created, now)!;
    assert.ok(at > now, `${elapsed}: after now`);
    assert.equal(formatAge(created, at - 1), formatAge(created, now), `${elapsed}: the same text until then`);
    assert.notEqual(formatAge(created, at), formatAge(created, now), `${elapsed}: another text at ${at - now} ms`);
  }
  assert.equal(ageChangesAt(undefined, 0), undefined);
});

function podsContext(createdAt: Date, more: Date[] = []) {
  const pod = {id: 'a'.repeat(64), name: 'web', namespace: 'default', uid: 'u', attempt: 0, state: 'ready', createdAt, labels: {}, annotations: {}, runtimeHandler: ''};
  const pods = [pod, ...more.map((at, i) => ({...pod, id: String(i).repeat(64), name: `web${i}`, uid: `u${i}`, createdAt: at}))];
  return fakeContext(
    {view: 'pods'},
    {cri: {listPodSandboxes: async () => pods, listContainers: async () => [], podSandboxStatus: async () => ({pod: {...pod, ip: '10.0.0.2'}, info: {}, raw: {}})}},
  );
}

test('a visible age under two minutes moves every second', async () => {
  const r = renderApp(podsContext(new Date(Date.now() - 5_000)));
  try {
    const first = await r.until((f) => /web\s.*\s(\d+)s\s*$/m.test(f));
    const age = (f: string) => Number(/web\s.*\s(\d+)s\s*$/m.exec(f)?.[1]);
    const start = age(first);
    await r.until((f) => age(f) >= start + 2, 3_500);
  } finally {
    r.done();
  }
});

test('an idle screen whose ages read minutes does not wake each second', async () => {
  // 10 minutes and 30 seconds old: the text changes in 30 s, not before.
  const r = renderApp(podsContext(new Date(Date.now() - 630_000)));
  try {
    await r.until((f) => /web\s.*\s10m\s*$/m.test(f));
    const nows: number[] = [];
    const off = r.app.ui.subscribe(() => nows.push(r.app.ui.getState().now));
    await sleep(2_500);
    off();
    // Relists of the same rows change nothing, so nothing moves the clock.
    assert.deepEqual(nows, [], 'now was never set');
  } finally {
    r.done();
  }
});

test('ages that change within one second move in one frame', async () => {
  // Three pods (web, web0, web1) made 20 ms apart, their ages read seconds.
  const t = Date.now() - 5_000;
  const r = renderApp(podsContext(new Date(t), [new Date(t + 20), new Date(t + 40)]));
  try {
    await r.until((f) => /web1\s.*\s\d+s\s*$/m.test(f));
    const nows: number[] = [];
    const off = r.app.ui.subscribe(() => nows.push(r.app.ui.getState().now));
    await sleep(3_600);
    off();
    const distinct = [...new Set(nows)];
    const gaps = distinct.slice(1).map((n, i) => n - distinct[i]!);
    assert.ok(distinct.length >= 2 && distinct.length <= 4 && gaps.every((g) => g >= 900), `one clock tick a second, not three: ${distinct.map((n) => n % 10_000).join(', ')}`);
  } finally {
    r.done();
  }
});
