/**
 * Keypress to frame in the containers pane: through the real <App> in ink-testing-library (in this
 * process) and through the built CLI in a pty, `j` pressed at about a held key's repeat rate.
 */
import {performance} from 'node:perf_hooks';
import type {Config} from '../source/config.js';
import {PtySession} from '../test/helpers/pty.js';
import {benchContainerId} from './fleet.js';
import {loadInkBundle} from './ink-bundle.js';
import {ScreenClock} from './pty-clock.js';
import {sleep} from './helpers.js';

/** Pause between presses: about a held key's repeat rate, and longer than Ink's 33 ms render throttle. */
export const PRESS_GAP_MS = 40;

/** The text of the selected table row in an Ink frame (drawn inverse), or undefined. */
function selectedInFrame(frame: string | undefined): string | undefined {
  return frame?.split('\n').find((l) => l.includes('\x1b[7m') && /bench-\d{5}/.test(l));
}

/** Keypress to frame through the real <App>, built as the app is (bench/ink-bundle.ts), rendered by ink-testing-library in this process. */
export async function inkKeypresses(config: Config, namespace: string, count: number, presses: number): Promise<{samples: number[]; loadMs: number}> {
  const {render, createElement, App, registry, dispatchKey, AppController, createDataContext} = await loadInkBundle();
  const appCtx = createDataContext(config);
  const app = new AppController(appCtx, registry);
  const started = performance.now();
  app.start();
  const ui = render(createElement(App, {app, version: 'bench', findView: registry.find}));
  // Every frame Ink writes passes here: a waiter learns the moment the frame it waits for is out.
  let waiter: {test: (frame: string) => boolean; resolve: (at: number) => void} | undefined;
  const write = ui.stdout.write;
  ui.stdout.write = (frame: string) => {
    write(frame);
    if (waiter?.test(frame)) {
      const w = waiter;
      waiter = undefined;
      w.resolve(performance.now());
    }
  };
  const frameWhere = (test: (frame: string) => boolean, timeoutMs: number, what: string) =>
    new Promise<number>((resolve, reject) => {
      if (test(ui.lastFrame() ?? '')) {
        resolve(performance.now());
        return;
      }
      const timer = setTimeout(() => {
        waiter = undefined;
        reject(new Error(`ink: no frame with ${what} within ${timeoutMs} ms; last frame:\n${ui.lastFrame()}`));
      }, timeoutMs);
      waiter = {
        test,
        resolve: (at) => {
          clearTimeout(timer);
          resolve(at);
        },
      };
    });
  try {
    const loaded = await frameWhere(
      (f) => f.includes(`Containers(${namespace})[${count}]`) && !!selectedInFrame(f)?.includes(benchContainerId(0)),
      30_000,
      `${count} rows loaded`,
    );
    const samples: number[] = [];
    for (let k = 1; k <= presses; k++) {
      await sleep(PRESS_GAP_MS);
      const want = benchContainerId(k);
      const shown = frameWhere((f) => !!selectedInFrame(f)?.includes(want), 5_000, `${want} selected`);
      const t0 = performance.now();
      dispatchKey(app, {name: 'j', text: 'j'});
      samples.push((await shown) - t0);
    }
    const selected = (app.currentFrame().state as {selected: number}).selected;
    if (selected !== presses) throw new Error(`ink: selection is ${selected} after ${presses} presses`);
    return {samples, loadMs: loaded - started};
  } finally {
    ui.unmount();
    app.close();
    appCtx.close();
  }
}

/** The selected table row on a pty screen: the row drawn inverse that names a bench container. */
function selectedOnScreen(s: PtySession): string | undefined {
  const buf = s.term.buffer.active;
  for (let y = 0; y < s.term.rows; y++) {
    const line = buf.getLine(buf.viewportY + y);
    if (!line?.getCell(1)?.isInverse()) continue;
    const text = line.translateToString(true);
    if (/bench-\d{5}/.test(text)) return text;
  }
  return undefined;
}

/**
 * Keypress to frame through the built CLI in a real pty: from the key's write to the end of the frame
 * that shows the moved selection (ScreenClock), and the bytes the CLI wrote for each key.
 */
export async function ptyKeypresses(namespace: string, count: number, presses: number, opts: {afterMs?: number} = {}): Promise<{samples: number[]; bytes: number[]; loadMs: number}> {
  const started = performance.now();
  const s = new PtySession({args: ['--view', 'containers', '-n', namespace], cols: 120, rows: 30});
  try {
    const clock = new ScreenClock(s);
    await clock.when((t) => t.includes(`Containers(${namespace})[${count}]`), `${count} rows loaded`, 30_000);
    const loadMs = performance.now() - started;
    await clock.when(() => !!selectedOnScreen(s)?.includes(benchContainerId(0)), `${benchContainerId(0)} selected`);
    if (opts.afterMs) await sleep(opts.afterMs);
    const samples: number[] = [];
    const bytes: number[] = [];
    for (let k = 1; k <= presses; k++) {
      await sleep(PRESS_GAP_MS);
      const want = benchContainerId(k);
      const before = s.output().length;
      const shown = clock.when(() => !!selectedOnScreen(s)?.includes(want), `${want} selected`, 5_000);
      const t0 = performance.now();
      s.proc.write('j');
      samples.push((await shown) - t0);
      bytes.push(Buffer.byteLength(s.output().slice(before)));
    }
    return {samples, bytes, loadMs};
  } finally {
    s.kill();
  }
}
