import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {after, test} from 'node:test';
import {makeTestNamespace, removeTestNamespace} from '../helpers/ctr.js';
import {closeEtcdClient, etcdctl, etcdGet, putKeys, selectedTreeLine, treeRowName} from '../helpers/etcd.js';
import {repoRoot, sleep, type PtySession} from '../helpers/pty.js';
import {sandboxEnv} from '../helpers/sandbox-env.js';
import {startUndock, stopAll} from '../helpers/undock.js';

// While undock has handed the terminal to $EDITOR (e in the key tree), every byte typed belongs to
// the editor: none may reach undock (its command bar, help, quit, a second editor). A fake editor
// (test/fixtures/fake-editor.mjs) logs exactly what it read; etcd watch events and containerd events
// keep undock busy meanwhile. The temp copy of the value must be private and removed afterwards.
//
// Diagnostic knobs (off by default): HANDOFF_PAUSE_MS waits that long after the editor is ready
// before typing; HANDOFF_STOP_UNDOCK=1 stops undock (SIGSTOP) while the editor has the terminal, a
// control run in which undock cannot read the terminal at all.
const env = sandboxEnv();
const run = `${process.pid.toString(36)}`;
const folder = `undock-e2e-handoff-${run}/`;
const prefix = `/${folder}`;
const key = `${prefix}edit/target`;
const noiseKey = `${prefix}noise/tick`;
const VALUE = 'colour: blue\nsize: 3\n';
/** Keys that mean something to undock (command bar, edit, help, quit, filter, moves), one write each. */
const TYPED = ':e?q/jk';
const ROUNDS = 20;
const TITLE = /etcd keys[^\n]*\[\d+\]/;
const BUSYBOX = 'docker.io/library/busybox:latest';
const ns = `undock-e2e-handoff-${run}`;
const snapshotter = process.env.CONTAINERD_SNAPSHOTTER || 'overlayfs';
const pauseMs = Number(process.env.HANDOFF_PAUSE_MS || 0);
const stopUndock = process.env.HANDOFF_STOP_UNDOCK === '1';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'undock-e2e-handoff-'));
// undock's own TMPDIR: the temp copies it makes are the only things in it.
const tmp = path.join(scratch, 'tmp');
fs.mkdirSync(tmp, {mode: 0o700});
const editorLog = path.join(scratch, 'editor.log');
const startsLog = path.join(scratch, 'editor-starts.log');
const fakeEditor = path.join(repoRoot, 'test/fixtures/fake-editor.mjs');
assert.ok(!/\s/.test(process.execPath + fakeEditor), 'undock splits $EDITOR on whitespace');
const EDITOR_ENV = {
  EDITOR: `${process.execPath} ${fakeEditor}`,
  VISUAL: '',
  FAKE_EDITOR_LOG: editorLog,
  FAKE_EDITOR_STARTS: startsLog,
  FAKE_EDITOR_TIMEOUT_MS: '30000',
  TMPDIR: tmp,
};
const SIZE = {cols: 160, rows: 36};

let cgroupParent: string | undefined;

after(() => {
  stopAll();
  killEditors();
  etcdctl('del', '--prefix', prefix);
  closeEtcdClient();
  if (cgroupParent) removeTestNamespace(ns, BUSYBOX, cgroupParent);
  fs.rmSync(scratch, {recursive: true, force: true});
});

interface EditorRun {
  pid: number;
  /** What the editor read before its Q, one char a byte. */
  read: string;
  file: string;
  fileMode: string;
  dirMode: string;
  end: 'Q' | 'timeout';
}

function logLines(file: string): string[] {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
}

function editorRuns(): EditorRun[] {
  return logLines(editorLog).map((line) => {
    const m = /^(\d+) ("(?:[^"\\]|\\.)*") (\{.*\})$/.exec(line);
    assert.ok(m, `an editor log line: ${line}`);
    return {pid: Number(m[1]), read: JSON.parse(m[2]!) as string, ...(JSON.parse(m[3]!) as Omit<EditorRun, 'pid' | 'read'>)};
  });
}

function editorStarts(): Array<{pid: number; file: string}> {
  return logLines(startsLog).map((line) => {
    const cut = line.indexOf(' ');
    return {pid: Number(line.slice(0, cut)), ...(JSON.parse(line.slice(cut + 1)) as {file: string})};
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Kills every fake editor that started and has not finished; returns their pids. */
function killEditors(): number[] {
  const done = new Set(editorRuns().map((r) => r.pid));
  const killed: number[] = [];
  for (const {pid} of editorStarts()) {
    if (!done.has(pid) && alive(pid)) {
      process.kill(pid, 'SIGKILL');
      killed.push(pid);
    }
  }
  return killed;
}

/**
 * Etcd watch events (a put every ~50 ms) and containerd events (a container created and removed
 * every ~300 ms in a namespace of this file's own), bounded in count and time, until stop().
 */
function startNoise(maxMs: number) {
  const execFileAsync = promisify(execFile);
  const ctr = (...args: string[]) => execFileAsync('ctr', ['--address', env.address, '-n', ns, ...args]);
  const deadline = Date.now() + maxMs;
  let stopped = false;
  const counts = {etcdPuts: 0, containers: 0, errors: [] as string[]};
  const more = () => !stopped && Date.now() < deadline;
  const etcdLoop = (async () => {
    while (more() && counts.etcdPuts < 5_000) {
      try {
        await putKeys([[noiseKey, `tick ${counts.etcdPuts}`]]);
        counts.etcdPuts++;
      } catch (e) {
        counts.errors.push(`etcd put: ${(e as Error).message}`);
      }
      await sleep(50);
    }
  })();
  const ctrLoop = (async () => {
    while (more() && counts.containers < 1_000) {
      const id = `noise-${counts.containers}`;
      try {
        await ctr('containers', 'create', '--snapshotter', snapshotter, BUSYBOX, id);
        await ctr('containers', 'rm', id);
        counts.containers++;
      } catch (e) {
        counts.errors.push(`ctr ${id}: ${(e as Error).message.split('\n')[0]}`);
        await ctr('containers', 'rm', id).catch(() => undefined);
      }
      await sleep(300);
    }
  })();
  return {
    counts,
    async stop() {
      stopped = true;
      await Promise.all([etcdLoop, ctrLoop]);
      return counts;
    },
  };
}

/** Filters the tree down to the key and waits until it is the selected row. */
async function selectKey(s: PtySession): Promise<void> {
  await s.waitFor(TITLE);
  await s.press('/');
  await s.type(key);
  await s.press('enter');
  await s.waitFor(() => treeRowName(selectedTreeLine(s)?.text ?? '') === key);
}

/** The tree, filtered to the key and with it selected, and nothing over it. */
function treeBack(s: PtySession, screen: string): boolean {
  return (
    s.bufferType() === 'alternate' &&
    TITLE.test(screen) &&
    treeRowName(selectedTreeLine(s)?.text ?? '') === key &&
    !screen.includes(`Write ${key}?`) &&
    !/^[:/]/m.test(screen) &&
    !screen.includes('Help:')
  );
}

/** What on screen shows undock took keys meant for the editor (empty when nothing does). */
function strayUndockUi(s: PtySession, screen: string): string[] {
  const seen: string[] = [];
  if (s.exitCode !== undefined) seen.push(`undock exited (${s.exitCode})`);
  const prompt = screen.split('\n').find((l) => /^[:/]/.test(l));
  if (prompt !== undefined) seen.push(`a prompt line: ${JSON.stringify(prompt.trimEnd())}`);
  if (screen.includes('Help:')) seen.push('the help view');
  return seen;
}

/** How many times the editor has printed its ready marker so far (old markers stay on the normal screen). */
function readyMarkers(s: PtySession): number {
  return s.output().split('FAKE-EDITOR-READY').length - 1;
}

interface RoundResult {
  round: number;
  problems: string[];
  run?: EditorRun;
  /** The bottom of the screen after a round that went wrong (the status line says what undock did). */
  bottom?: string;
}

/** One e, type, Q, esc round; what went wrong is returned, not thrown, so every round is reported. */
async function editRound(s: PtySession, round: number): Promise<RoundResult> {
  const problems: string[] = [];
  const runsBefore = editorRuns().length;
  const startsBefore = editorStarts().length;
  const markersBefore = readyMarkers(s);
  const outputBefore = s.output().length;
  await s.press('e');
  try {
    await s.waitFor(() => readyMarkers(s) > markersBefore, 15_000);
  } catch (e) {
    return {round, problems: [`the editor never said it was ready: ${(e as Error).message.split('\n')[0]}`]};
  }
  if (pauseMs) await sleep(pauseMs);
  if (stopUndock) process.kill(s.proc.pid, 'SIGSTOP');
  let dialog: string | undefined;
  try {
    await s.type(TYPED);
    await s.press('Q');
    if (stopUndock) {
      // The editor exits on its Q; only then may undock read again.
      const deadline = Date.now() + 10_000;
      while (editorRuns().length === runsBefore && Date.now() < deadline) await sleep(20);
    }
  } finally {
    if (stopUndock) process.kill(s.proc.pid, 'SIGCONT');
  }
  try {
    dialog = await s.waitFor(`Write ${key}?`, 10_000);
  } catch {
    // Drawn (it is in what undock wrote this round) but gone before the test looked: a key undock
    // read answered it, since the test has pressed nothing since the Q.
    const drawn = s.output().slice(outputBefore).replace(/\x1b\[[0-9;?]*[ -\/]*[@-~]/g, '').includes(`Write ${key}?`);
    problems.push(`no "Write ${key}?" dialog within 10 s${drawn ? ' (it was drawn, then answered by a key undock read)' : ''}`);
    const killed = killEditors();
    if (killed.length) problems.push(`killed editor(s) still waiting for their Q: ${killed.join(', ')}`);
  }
  if (dialog !== undefined) {
    const stray = strayUndockUi(s, dialog);
    if (stray.length) problems.push(`with the dialog: ${stray.join('; ')}`);
    await s.press('esc');
  }
  // Back to the tree, then a moment for anything late (a second editor) to show.
  try {
    await s.waitFor((text) => treeBack(s, text), 10_000);
  } catch {
    problems.push('the tree did not come back (filtered, the key selected, nothing over it)');
  }
  await sleep(300);
  const screen = await s.waitFor(() => true).catch(() => s.text());
  const stray = strayUndockUi(s, screen);
  if (stray.length) problems.push(`after the round: ${stray.join('; ')}`);
  const extra = killEditors();
  if (extra.length) problems.push(`editor(s) still open after the round: ${extra.join(', ')}`);

  const runs = editorRuns().slice(runsBefore);
  const starts = editorStarts().slice(startsBefore);
  if (starts.length !== 1) problems.push(`${starts.length} editors started (pids ${starts.map((x) => x.pid).join(', ')}), not 1`);
  if (runs.length !== 1) problems.push(`${runs.length} editor log lines, not 1`);
  const r = runs[0];
  if (r) {
    if (r.read !== TYPED) problems.push(`the editor read ${JSON.stringify(r.read)}, not ${JSON.stringify(TYPED)}`);
    if (r.end !== 'Q') problems.push(`the editor ended by ${r.end}`);
    if (r.fileMode !== '0600') problems.push(`the temp copy had mode ${r.fileMode}, not 0600`);
    if (r.dirMode !== '0700') problems.push(`its folder had mode ${r.dirMode}, not 0700`);
    if (fs.existsSync(path.dirname(r.file))) problems.push(`the temp folder ${path.dirname(r.file)} is still there`);
  }
  const bottom = problems.length ? screen.split('\n').filter((l) => l.trim()).slice(-3).map((l) => l.trim()).join(' / ') : undefined;
  return {round, problems, run: r, bottom};
}

/** Puts undock back on the tree after a round that went wrong; false when it cannot. */
async function recover(s: PtySession): Promise<boolean> {
  for (let i = 0; i < 5 && s.exitCode === undefined; i++) {
    killEditors();
    const screen = await s.waitFor(() => true).catch(() => s.text());
    if (treeBack(s, screen)) return true;
    if (s.bufferType() === 'alternate' && (/^[:/]/m.test(screen) || screen.includes('Help:') || /Write |Cancel/.test(screen))) {
      await s.press('esc');
      await sleep(300);
      continue;
    }
    if (s.bufferType() === 'alternate' && TITLE.test(screen)) {
      // The filter was changed or lost: clear it and filter again.
      await s.press('esc');
      await selectKey(s).catch(() => undefined);
      continue;
    }
    await sleep(500);
  }
  return s.exitCode === undefined && treeBack(s, await s.waitFor(() => true).catch(() => s.text()));
}

test(`${ROUNDS} rounds of e, typing keys undock knows, Q and esc: every byte reaches the editor, none reaches undock`, async (t) => {
  etcdctl('put', key, VALUE);
  const before = etcdGet(key)!;
  cgroupParent = makeTestNamespace(ns, BUSYBOX, snapshotter);

  const s = startUndock(['--view', 'keys'], {...SIZE, env: EDITOR_ENV});
  await selectKey(s);
  await s.waitFor(/colour: blue/);
  const noise = startNoise(5 * 60_000);
  const results: RoundResult[] = [];
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      const result = await editRound(s, round);
      results.push(result);
      t.diagnostic(
        `round ${round}: ${result.problems.length ? result.problems.join(' | ') : 'ok'}` +
          (result.run ? ` (editor ${result.run.pid} read ${JSON.stringify(result.run.read)})` : '') +
          (result.bottom ? `; screen ends: ${result.bottom}` : ''),
      );
      if (result.problems.length && !(await recover(s))) {
        t.diagnostic(`round ${round}: could not get back to the tree; stopping. Screen:\n${s.text()}`);
        break;
      }
    }
  } finally {
    const counts = await noise.stop();
    t.diagnostic(`meanwhile: ${counts.etcdPuts} etcd puts, ${counts.containers} containers created and removed, ${counts.errors.length} errors${counts.errors.length ? `: ${counts.errors.slice(0, 3).join(' | ')}` : ''}`);
  }
  assert.ok(noise.counts.etcdPuts > 0 && noise.counts.containers > 0, 'the background events ran');

  const failed = results.filter((r) => r.problems.length);
  assert.deepEqual(
    failed.map((r) => `round ${r.round}: ${r.problems.join(' | ')}`),
    [],
    `${failed.length} of ${results.length} rounds went wrong (of ${ROUNDS} planned)`,
  );
  assert.equal(results.length, ROUNDS);

  assert.equal(s.exitCode, undefined, 'undock is still running');
  assert.deepEqual(fs.readdirSync(tmp).filter((f) => f.startsWith('undock-edit-')), [], 'no temp copy left in its TMPDIR');
  const now = etcdGet(key)!;
  assert.equal(now.value.toString(), VALUE, 'every write was cancelled: the value is unchanged');
  assert.equal(now.modRevision, before.modRevision);
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
  assert.equal(s.bufferType(), 'normal', 'the normal screen is back');
});

test('SIGTERM to undock while the editor is open leaves no temp copy behind', async () => {
  etcdctl('put', key, VALUE);
  const s = startUndock(['--view', 'keys'], {...SIZE, env: EDITOR_ENV});
  await selectKey(s);
  const startsBefore = editorStarts().length;
  const markersBefore = readyMarkers(s);
  await s.press('e');
  await s.waitFor(() => readyMarkers(s) > markersBefore, 15_000);
  const started = editorStarts().slice(startsBefore);
  assert.equal(started.length, 1, 'one editor');
  const {pid: editorPid, file} = started[0]!;
  const dir = path.dirname(file);
  assert.ok(fs.existsSync(file), `the temp copy ${file} exists while the editor runs`);
  assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
  try {
    process.kill(s.proc.pid, 'SIGTERM');
    const code = await s.waitExit();
    assert.notEqual(code, 0, 'undock ended by the signal');
    assert.ok(!fs.existsSync(dir), `the temp folder ${dir} is still there after SIGTERM, holding: ${fs.existsSync(dir) ? fs.readdirSync(dir).join(', ') : ''}`);
  } finally {
    if (alive(editorPid)) process.kill(editorPid, 'SIGKILL');
  }
  assert.equal(etcdGet(key)!.value.toString(), VALUE, 'nothing was written');
});
