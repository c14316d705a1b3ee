// The clients and the app of the context in use, and the switch to another context (`:ctx`):
// the old clients are closed before the new ones open, and navigation starts again at the start view.
import type {Config} from './config.js';
import {createDataContext} from './context.js';
import {errorLine} from './data/errors.js';
import {readPasswordFile} from './etcd-password.js';
import {contextConfig} from './resources/contexts/index.js';
import {AppController, type ViewLookup} from './store/app-store.js';

type Clients = ReturnType<typeof createDataContext>;

/** `:name` aliases of the config file, resolved before the registry's own names. */
export function withAliases(views: ViewLookup, aliases: Readonly<Record<string, string>>): ViewLookup {
  if (Object.keys(aliases).length === 0) return views;
  return {
    find: (name) => views.find(aliases[name.toLowerCase()] ?? name),
    commandNames: () => [...views.commandNames(), ...Object.keys(aliases).filter((a) => views.find(aliases[a]!))],
  };
}

export class Session {
  ctx: Clients;
  app: AppController;
  private readonly views: ViewLookup;
  /** Called with the new app after a switch, to draw it. */
  onSwitched: (app: AppController) => void = () => {};
  onQuit: () => void = () => {};

  constructor(config: Config, views: ViewLookup, etcdPassword?: string) {
    this.views = views;
    this.ctx = createDataContext(config, {etcdPassword});
    this.app = this.makeApp(this.ctx);
  }

  private makeApp(ctx: Clients): AppController {
    const app = new AppController(ctx, withAliases(this.views, ctx.config.aliases));
    app.onQuit = () => this.onQuit();
    app.switchContext = (name) => void this.switchTo(name);
    // A remote node's forward coming (back) up is news at once: the header and the view ask again.
    const off = ctx.remote?.onState((s) => {
      // A switched-away app stops listening; a drop is the header's (markDown), only a return is news here.
      if (this.app !== app) return off?.();
      if (s.status !== 'up') return;
      void app.health.probe();
      app.sources.refresh();
    });
    return app;
  }

  /** Switches to context `name`; on a bad context the current one stays, with the reason in the status line. */
  async switchTo(name: string): Promise<void> {
    const old = this.app;
    let config: Config;
    let password: string | undefined;
    try {
      config = contextConfig(this.ctx.config, name);
      password = config.etcdUser && !config.etcdUser.includes(':') ? passwordFor(config) : undefined;
    } catch (err) {
      old.setStatus(`context ${name}: ${errorLine(err)}`, 'error');
      return;
    }
    const size = old.ui.getState().size;
    old.close();
    this.ctx.close();
    this.ctx = createDataContext(config, {etcdPassword: password});
    this.app = this.makeApp(this.ctx);
    this.app.setSize(size.columns, size.rows);
    this.app.start();
    this.app.setStatus(`context ${name}`);
    this.onSwitched(this.app);
  }

  close(): void {
    this.app.close();
  }
}

/** A switch cannot ask on the terminal: the context's password file, else ETCDCTL_PASSWORD. */
function passwordFor(config: Config): string {
  if (config.etcdPasswordFile) return readPasswordFile(config.etcdPasswordFile);
  if (process.env.ETCDCTL_PASSWORD) return process.env.ETCDCTL_PASSWORD;
  throw new Error(`etcd user ${config.etcdUser} needs a password: set etcd.passwordFile in ${config.configFile}`);
}
