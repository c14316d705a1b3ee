/**
 * Ink renders only a final frame when it believes it runs in CI (CI or CONTINUOUS_INTEGRATION set),
 * which would leave a real terminal blank. undock only draws on a terminal, so on a TTY it hides
 * those variables while Ink loads (imported first by cli.tsx) and puts them back right after.
 */
const saved: Record<string, string | undefined> = {};
const hidden = ['CI', 'CONTINUOUS_INTEGRATION'];

if (process.stdout.isTTY) {
  for (const key of hidden) {
    saved[key] = process.env[key];
    if (key in process.env) process.env[key] = 'false';
  }
}

export function restoreCiEnv(): void {
  for (const key of Object.keys(saved)) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
}
