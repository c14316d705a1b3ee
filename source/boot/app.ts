/**
 * The entry of the app bundle (dist/app.cjs), run by main.ts once compiled: it prepares what Ink's
 * modules read when they load, loads them, then runs the CLI.
 */
export async function start(saveCodeCache: () => void): Promise<void> {
  const {main} = await prepare();
  await main(saveCodeCache);
}

/**
 * Loads the modules a start loads and runs none of them; the build makes the shipped code cache
 * after it (scripts/build/shipped-cache.ts), so it compiles what a start compiles as it loads.
 */
export async function prepare(): Promise<typeof import('../cli.js')> {
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
  return import('../cli.js');
}
