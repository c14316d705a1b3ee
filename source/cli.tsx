import React from 'react';
import {render} from 'ink';
import {helpText, parseCli, UsageError} from './cli-args.js';
import {buildConfig, ConfigError} from './config.js';
import {appendCrashLog, crashLogPath} from './crash-log.js';
import {etcdPassword, PasswordError, warnAboutArgvPassword} from './etcd-password.js';
import {ConfigFileError, readConfigFile} from './config-file.js';
import {configReport} from './config-command.js';
import {Session} from './session.js';
import {errorLine} from './data/errors.js';
import {PassThrough} from 'node:stream';
import {runAsyncExitTasks} from './terminal/at-exit.js';
import {enterFullScreen, EXIT_CLEANUP_MS, installExitGuards, leaveFullScreen, setInputRestorer} from './terminal/screen.js';
import {setTerminalOwner} from './terminal/handoff.js';
import {flushFrameSoon} from './terminal/frame-flush.js';
import {TerminalInput, textDecoder} from './terminal/input.js';
import {App} from './app/app.js';
import {dispatchKey} from './keys/router.js';
import {parseKeys} from './keys/parse.js';
import {registry, viewFlagNames} from './views/registry.js';
import {versionReport} from './version-command.js';
import {VERSION} from './version.js';

/** The longest the first frame waits for the first view's rows (a slow daemon is drawn as connecting). */
const FIRST_FRAME_WAIT_MS = 150;

function fail(message: string, code = 2): never {
  process.stderr.write(`undock: ${message}\n`);
  process.exit(code);
}

/** Runs the CLI: a command, or the terminal UI until it quits. Called by boot/app.ts once Ink is loaded. */
export async function main(saveCodeCache: () => void = () => {}): Promise<void> {
  const argv = process.argv.slice(2);
  let parsed;
  try {
    parsed = parseCli(argv);
  } catch (err) {
    if (err instanceof UsageError) fail(err.message);
    throw err;
  }
  const {flags, words} = parsed;
  if (flags.help) {
    process.stdout.write(helpText(viewFlagNames.ids));
    process.exit(0);
  }
  if (flags.version) {
    process.stdout.write(`${VERSION}\n`);
    process.exit(0);
  }
  warnAboutArgvPassword(argv, (line) => process.stderr.write(`undock: warning: ${line}\n`));

  let config;
  try {
    const file = readConfigFile(flags.config, process.env);
    config = buildConfig(flags, process.env, viewFlagNames, file && {file});
  } catch (err) {
    if (err instanceof ConfigError || err instanceof ConfigFileError) fail(err.message);
    throw err;
  }

  const [command, ...rest] = words;
  if (command === 'config' && rest.length === 0) {
    process.stdout.write(configReport(config));
    process.exit(0);
  }
  let password: string | undefined;
  try {
    password = await etcdPassword(config.etcdUser, config.etcdPasswordFile, process.env);
  } catch (err) {
    if (err instanceof PasswordError) fail(err.message);
    throw err;
  }
  if (command === 'version') {
    process.stdout.write((await versionReport(config, VERSION, password)) + '\n');
    process.exit(0);
  } else if (command !== undefined) {
    fail(`unknown command "${[command, ...rest].join(' ')}" (commands: version, config; see --help)`);
  }

  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    fail('the terminal UI needs a terminal on stdin and stdout (for versions without one: undock version)');
  }

  const logFile = crashLogPath();
  const log = (what: string, err: unknown) => {
    try {
      appendCrashLog(logFile, `${new Date().toISOString()} ${what}${(err as Error)?.stack ?? String(err)}\n`);
      return true;
    } catch {
      return false; // nowhere to log: the one line on stderr is what the user gets
    }
  };
  installExitGuards((err) => {
    const logged = log('', err);
    process.stderr.write(`undock: ${errorLine(err)}${logged ? ` (details in ${logFile})` : ''}\n`);
  });
  process.on('unhandledRejection', (err) => void log('unhandled: ', err));

  const session = new Session(config, registry, password);
  const quit = new Promise<void>((resolve) => {
    session.onQuit = resolve;
  });
  // Ink gets a stdin that never speaks: the keys come from undock's own reader of the terminal.
  const inkStdin = Object.assign(new PassThrough(), {isTTY: false}) as unknown as NodeJS.ReadStream;
  const mount = () => render(<App app={session.app} version={VERSION} findView={registry.find} />, {exitOnCtrlC: false, patchConsole: true, stdin: inkStdin, incrementalRendering: true});
  const input = new TerminalInput();
  const decode = textDecoder();
  const keys = (data: Buffer) => {
    for (const key of parseKeys(decode(data))) dispatchKey(session.app, key);
    flushFrameSoon();
  };
  setInputRestorer(() => input.release());
  enterFullScreen();
  input.acquire(keys);
  // The first frame waits a little for the first view's rows (its table's, or its feed's, as the key
  // tree's first level): drawn without them, it would be drawn again a few tens of milliseconds
  // later, and that second frame is what the user waits for. The event feed starts after them.
  const top = session.app.ui.getState().stack.at(-1);
  const feed = top && session.app.feed<{firstLoad?: () => Promise<void>}>(top.id);
  const firstRows = () => Promise.all([session.app.sources.firstLoad(), feed?.firstLoad?.()]).then(() => undefined);
  session.app.start(firstRows);
  await Promise.race([firstRows(), new Promise((r) => setTimeout(r, FIRST_FRAME_WAIT_MS).unref())]);
  let instance = mount();
  // A switch of context draws the new app where the old one was.
  session.onSwitched = () => {
    instance.unmount();
    instance = mount();
  };
  // A handoff stops the drawing only: the stores keep filling (events keep recording) while a child has the terminal.
  setTerminalOwner({
    suspend: () => instance.unmount(),
    resume: () => {
      instance = mount();
    },
    input,
    keys,
  });
  await quit;
  saveCodeCache(); // the start path is compiled by now, if the timer has not saved it yet
  instance.unmount();
  session.close();
  leaveFullScreen();
  // What undock started ends with it (an exec's shell), while the channel to containerd is still open.
  await runAsyncExitTasks(EXIT_CLEANUP_MS);
  session.ctx.close();
  process.exit(0);
}
