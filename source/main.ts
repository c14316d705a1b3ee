#!/usr/bin/env node
/**
 * The `undock` executable. It only prepares the environment, then loads the app: anything that must
 * hold before React and Ink are loaded (their modules read it once, at load time) belongs here.
 */

// Node opens its inspector on 127.0.0.1:9229 when it gets SIGUSR1, unless a listener is installed:
// anyone who may signal undock would get a debugger into a process holding etcd credentials.
process.on('SIGUSR1', () => {});

// React's development build does a lot of bookkeeping per render; a user gets the production one.
// (Set before any React module loads: a development jsx-runtime with a production React renders nothing.)
// The bundle has React's production build only (scripts/build.ts defines process.env.NODE_ENV); this
// sets it for runs from source and for what reads it at run time. Written through `env` so the build's
// define does not rewrite the assignment.
const env = process.env;
env.NODE_ENV ??= 'production';

// Ink renders only a final frame when it believes it runs in CI (CI or CONTINUOUS_INTEGRATION set),
// which would leave a real terminal blank, and its colour detection turns colours (the selection's
// inverse included) off when CI is set at all. undock only draws on a terminal, so on a TTY those
// variables are removed while Ink loads and put back right after (children such as exec see them).
const hidden = ['CI', 'CONTINUOUS_INTEGRATION'] as const;
const saved = new Map<string, string | undefined>();
if (process.stdout.isTTY) {
  for (const key of hidden) {
    saved.set(key, process.env[key]);
    delete process.env[key];
  }
}
await import('ink');
for (const [key, value] of saved) {
  if (value === undefined) delete process.env[key];
  else process.env[key] = value;
}

await import('./cli.js');
