import React from 'react';
import {render} from 'ink';
import {helpText, parseCli, UsageError} from './cli-args.js';
import {buildConfig, ConfigError} from './config.js';
import {appendCrashLog, crashLogPath} from './crash-log.js';
import {etcdPassword, PasswordError, warnAboutArgvPassword} from './etcd-password.js';
import {createDataContext} from './context.js';
import {errorLine} from './data/errors.js';
import {PassThrough} from 'node:stream';
import {AppController} from './store/app-store.js';
import {runAsyncExitTasks} from './terminal/at-exit.js';
import {enterFullScreen, EXIT_CLEANUP_MS, installExitGuards, leaveFullScreen, setInputRestorer} from './terminal/screen.js';
import {setTerminalOwner} from './terminal/handoff.js';
import {TerminalInput, textDecoder} from './terminal/input.js';
import {App} from './app/app.js';
import {dispatchKey} from './keys/router.js';
import {parseKeys} from './keys/parse.js';
import {registry, viewFlagNames} from './views/registry.js';
import {versionReport} from './version-command.js';
import {VERSION} from './version.js';

const argv = process.argv.slice(2);

function fail(message: string, code = 2): never {
  process.stderr.write(`undock: ${message}\n`);
  process.exit(code);
}

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
  config = buildConfig(flags, process.env, viewFlagNames);
} catch (err) {
  if (err instanceof ConfigError) fail(err.message);
  throw err;
}

const [command, ...rest] = words;
let password: string | undefined;
try {
  password = await etcdPassword(config.etcdUser, flags.passwordFile, process.env);
} catch (err) {
  if (err instanceof PasswordError) fail(err.message);
  throw err;
}
if (command === 'version') {
  process.stdout.write((await versionReport(config, VERSION, password)) + '\n');
  process.exit(0);
} else if (command !== undefined) {
  fail(`unknown command "${[command, ...rest].join(' ')}" (commands: version; see --help)`);
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

const ctx = createDataContext(config, {etcdPassword: password});
const app = new AppController(ctx, registry);
const quit = new Promise<void>((resolve) => {
  app.onQuit = resolve;
});
// Ink gets a stdin that never speaks: the keys come from undock's own reader of the terminal.
const inkStdin = Object.assign(new PassThrough(), {isTTY: false}) as unknown as NodeJS.ReadStream;
const mount = () => render(<App app={app} version={VERSION} findView={registry.find} />, {exitOnCtrlC: false, patchConsole: true, stdin: inkStdin});
const input = new TerminalInput();
const decode = textDecoder();
const keys = (data: Buffer) => {
  for (const key of parseKeys(decode(data))) dispatchKey(app, key);
};
setInputRestorer(() => input.release());
enterFullScreen();
input.acquire(keys);
app.start();
let instance = mount();
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
instance.unmount();
app.close();
leaveFullScreen();
// What undock started ends with it (an exec's shell), while the channel to containerd is still open.
await runAsyncExitTasks(EXIT_CLEANUP_MS);
ctx.close();
process.exit(0);
