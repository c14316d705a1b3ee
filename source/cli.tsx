import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import React from 'react';
import {render} from 'ink';
import meow from 'meow';
import {buildConfig, ConfigError, DEFAULT_ADDRESS} from './config.js';
import {createDataContext} from './context.js';
import {errorLine} from './data/errors.js';
import {PassThrough} from 'node:stream';
import {AppController} from './store/app-store.js';
import {enterFullScreen, installExitGuards, leaveFullScreen, setInputRestorer} from './terminal/screen.js';
import {setTerminalOwner} from './terminal/handoff.js';
import {TerminalInput, textDecoder} from './terminal/input.js';
import {App} from './app/app.js';
import {dispatchKey} from './keys/router.js';
import {parseKeys} from './keys/parse.js';
import {registry, viewFlagNames} from './views/registry.js';
import {versionReport} from './version-command.js';

const cli = meow(
  `
  Usage
    $ undock [flags]            open the terminal UI
    $ undock version            print undock's version and the daemons' versions

  Flags
    --address <path>            containerd socket (env CONTAINERD_ADDRESS, default ${DEFAULT_ADDRESS})
    --namespace, -n <name>      containerd namespace (env CONTAINERD_NAMESPACE, default default)
    --runtime-endpoint <path>   CRI runtime socket (env CONTAINER_RUNTIME_ENDPOINT, default the containerd socket)
    --etcd-endpoints <list>     comma-separated etcd endpoints (env ETCDCTL_ENDPOINTS, default 127.0.0.1:2379)
    --cacert <file>             etcd CA bundle (env ETCDCTL_CACERT)
    --cert <file>               etcd client certificate (env ETCDCTL_CERT)
    --key <file>                etcd client key (env ETCDCTL_KEY)
    --user <name[:password]>    etcd user (env ETCDCTL_USER); the password is asked for when not given
    --readonly                  refuse every change to containerd and etcd
    --view <name>               first view: ${viewFlagNames.ids.join(', ')} or an alias (default images)
    --refresh <seconds>         relist period (default 2)
    --shell <command>           what s runs in a container (env UNDOCK_SHELL; default bash, else sh)
    --log-tail <n>              lines a log view starts with (default 200)
    --log-lines <n>             lines a log view keeps in memory (default 5000)
    --help                      show this help
    --version                   show undock's version

  Keys
    :  command bar (:images :ns [name] :q)   /  filter   ?  help   esc  back   q  quit

  Examples
    $ undock -n k8s.io
    $ eval "$(npm run -s sandbox -- env)" && undock
`,
  {
    importMeta: import.meta,
    flags: {
      address: {type: 'string'},
      namespace: {type: 'string', shortFlag: 'n'},
      runtimeEndpoint: {type: 'string'},
      etcdEndpoints: {type: 'string'},
      readonly: {type: 'boolean'},
      view: {type: 'string'},
      refresh: {type: 'number'},
      shell: {type: 'string'},
      cacert: {type: 'string'},
      cert: {type: 'string'},
      key: {type: 'string'},
      user: {type: 'string'},
      logTail: {type: 'number'},
      logLines: {type: 'number'},
    },
    allowUnknownFlags: false,
  },
);

async function askPassword(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) fail(`${prompt.trim()} needs a terminal; give it as --user name:password or ETCDCTL_USER`);
  process.stderr.write(prompt);
  // The same reader as the UI's, let go of afterwards: nothing keeps reading the terminal behind undock's back.
  const input = new TerminalInput();
  const decode = textDecoder();
  const password = await new Promise<string>((resolve) => {
    let typed = '';
    input.acquire((data) => {
      for (const ch of decode(data)) {
        if (ch === '\x03') {
          input.release();
          process.stderr.write('\n');
          process.exit(130);
        }
        if (ch === '\r' || ch === '\n') {
          resolve(typed);
          return;
        }
        typed = ch === '\x7f' ? [...typed].slice(0, -1).join('') : typed + ch;
      }
    });
  });
  input.release();
  process.stderr.write('\n');
  return password;
}

function fail(message: string, code = 2): never {
  process.stderr.write(`undock: ${message}\n`);
  process.exit(code);
}

let config;
try {
  config = buildConfig({...cli.flags, logKeep: cli.flags.logLines}, process.env, viewFlagNames);
} catch (err) {
  if (err instanceof ConfigError) fail(err.message);
  throw err;
}

const [command, ...rest] = cli.input;
// Like etcdctl: a user given without ":password" is asked for it on the terminal, never echoed.
const etcdPassword = config.etcdUser && !config.etcdUser.includes(':') ? await askPassword(`etcd password for ${config.etcdUser}: `) : undefined;
if (command === 'version') {
  process.stdout.write((await versionReport(config, cli.pkg.version ?? '0.0.0', etcdPassword)) + '\n');
  process.exit(0);
} else if (command !== undefined) {
  fail(`unknown command "${[command, ...rest].join(' ')}" (commands: version; see --help)`);
}

if (!process.stdin.isTTY || !process.stdout.isTTY) {
  fail('the terminal UI needs a terminal on stdin and stdout (for versions without one: undock version)');
}

const logFile = path.join(os.tmpdir(), `undock-${process.getuid?.() ?? 'user'}.log`);
installExitGuards((err) => {
  try {
    fs.appendFileSync(logFile, `${new Date().toISOString()} ${(err as Error)?.stack ?? String(err)}\n`);
  } catch {
    // Nowhere to log; the one line below is what the user gets.
  }
  process.stderr.write(`undock: ${errorLine(err)} (details in ${logFile})\n`);
});
process.on('unhandledRejection', (err) => {
  try {
    fs.appendFileSync(logFile, `${new Date().toISOString()} unhandled: ${(err as Error)?.stack ?? String(err)}\n`);
  } catch {
    // Best effort only.
  }
});

const ctx = createDataContext(config, {etcdPassword});
const app = new AppController(ctx, registry);
const quit = new Promise<void>((resolve) => {
  app.onQuit = resolve;
});
// Ink gets a stdin that never speaks: the keys come from undock's own reader of the terminal.
const inkStdin = Object.assign(new PassThrough(), {isTTY: false}) as unknown as NodeJS.ReadStream;
const mount = () => render(<App app={app} version={cli.pkg.version ?? '0.0.0'} findView={registry.find} />, {exitOnCtrlC: false, patchConsole: true, stdin: inkStdin});
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
ctx.close();
leaveFullScreen();
process.exit(0);
