import fs from 'node:fs';
import path from 'node:path';
import {errorLine} from '../../data/errors.js';
import {movementBindings} from '../../keys/bindings.js';
import {move} from '../../keys/movement.js';
import type {KeyEnv, ViewBinding} from '../types.js';
import {encodeBytes, joinParts} from '../../data/text/sanitize.js';
import {logText, shownLine} from './feed.js';
import type {LogsModel, LogsState} from './model.js';

type Env = KeyEnv<LogsState>;
const m = (env: Env) => env.model as LogsModel;

/** The next line (from `from`, stepping by `step`) that holds the search text. */
function findMatch(env: Env, from: number, step: 1 | -1): number | undefined {
  const {lines, first} = m(env);
  const needle = env.frame.state.search.toLowerCase();
  if (!needle) return undefined;
  // Start inside the kept lines: a short log does not fill the page.
  for (let seq = Math.max(first, Math.min(first + lines.length - 1, from)); seq >= first && seq < first + lines.length; seq += step) {
    // What is on screen is searched (an ESC is found as \e), so a match is where the highlight is.
    if (joinParts(shownLine(lines[seq - first]!, env.frame.state.timestamps)).toLowerCase().includes(needle)) return seq;
  }
  return undefined;
}

function jumpTo(env: Env, seq: number | undefined, what: string): void {
  const {app, frame} = env;
  if (seq === undefined) {
    app.setStatus(frame.state.search ? `no ${what} match for "${frame.state.search}"` : 'no search: / to search');
    return;
  }
  const top = Math.max(m(env).first, Math.min(m(env).lastTop, seq - Math.floor(env.model.pageSize / 2)));
  app.update(frame, {follow: false, top, match: seq});
}

function writeFirst(paths: string[], text: Buffer): {ok: true; path: string} | {ok: false; error: string} {
  let error = '';
  for (const p of paths) {
    try {
      fs.mkdirSync(path.dirname(p), {recursive: true});
      fs.writeFileSync(p, text, {mode: 0o600});
      return {ok: true, path: p};
    } catch (e) {
      error = errorLine(e);
    }
  }
  return {ok: false, error};
}

/** The log view's controller: follow, wrap, timestamps, search, save, the previous attempt, scrolling. */
export const logsBindings: ViewBinding<LogsState>[] = [
  // esc leaves the log even while a search is shown (the search is a highlight, not a filter).
  {id: 'back', keys: ['esc'], label: 'back', hint: true, run: ({app}) => void app.back()},
  {
    id: 'follow',
    keys: ['f'],
    label: 'follow on/off',
    hint: true,
    run: (env) => env.app.update(env.frame, env.frame.state.follow ? {follow: false, top: m(env).lastTop} : {follow: true}),
  },
  {id: 'wrap', keys: ['w'], label: 'wrap on/off', hint: true, run: ({app, frame}) => app.update(frame, {wrap: !frame.state.wrap})},
  {id: 'timestamps', keys: ['t'], label: 'timestamps on/off', hint: true, run: ({app, frame}) => app.update(frame, {timestamps: !frame.state.timestamps})},
  {
    id: 'next',
    keys: ['n'],
    label: 'next match',
    run: (env) => jumpTo(env, findMatch(env, env.frame.state.match !== undefined ? env.frame.state.match + 1 : m(env).currentTop, 1), 'later'),
  },
  {
    id: 'previous-match',
    keys: ['N'],
    label: 'previous match',
    run: (env) =>
      jumpTo(env, findMatch(env, env.frame.state.match !== undefined ? env.frame.state.match - 1 : m(env).currentTop + env.model.pageSize - 1, -1), 'earlier'),
  },
  {
    id: 'save',
    keys: ['ctrl+s'],
    label: 'save to a file',
    hint: true,
    run: (env) => {
      const {app, frame} = env;
      const {lines} = m(env);
      const name = `${frame.state.title.replace(/[^\w.-]+/g, '_')}-${new Date().toISOString().replace(/[:.]/g, '-')}.log`;
      // The container's bytes as they were, invalid UTF-8 and control characters included.
      const text = encodeBytes(lines.map((l) => logText(l, true)).join('\n') + '\n');
      const target = writeFirst([path.resolve(name), path.join(app.ctx.config.logDir, 'saved', name)], text);
      if (target.ok) app.setStatus(`saved ${lines.length} lines to ${target.path}`);
      else app.setStatus(`could not save the log: ${target.error}`, 'error');
    },
  },
  {
    id: 'previous-attempt',
    keys: ['p'],
    label: "previous attempt's log (CRI)",
    run: (env) => {
      const now = m(env).feed.togglePrevious();
      if (now) env.app.setStatus(`showing ${now}`);
      else env.app.setStatus('no previous attempt log for this container');
      env.app.update(env.frame, {follow: true, match: undefined});
    },
  },
  ...movementBindings.map(
    (b): ViewBinding<LogsState> => ({
      ...b,
      label: `scroll ${b.label}`,
      // Scrolling: up/page-up/top leave follow mode; reaching the bottom with G follows again.
      run: (env) => {
        if (b.id === 'bottom') {
          env.app.update(env.frame, {follow: true});
          return;
        }
        const {first, lastTop, currentTop} = m(env);
        const next = move(currentTop - first, {count: lastTop - first + 1, pageSize: env.model.pageSize}, b.id) + first;
        env.app.update(env.frame, {follow: false, top: next});
      },
    }),
  ),
];
