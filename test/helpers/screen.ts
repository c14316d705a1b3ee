import assert from 'node:assert/strict';
import type {PtySession} from './pty.js';

/** Screen-reading steps shared by the end-to-end tests, as a person would do them. */

export function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function shows(screen: string, what: string | RegExp): boolean {
  return typeof what === 'string' ? screen.includes(what) : what.test(screen);
}

/**
 * Asserts that the screen shows the view a check is about (its title bar, say), before anything is
 * said to be absent from it: an error screen or a blank one must not pass for "it is gone".
 */
export function assertShowing(screen: string, view: string | RegExp, message?: string): void {
  assert.ok(shows(screen, view), `${message ?? `expected ${String(view)} on screen`}; screen was:\n${screen}`);
}

/** A waitFor condition: `view` is showing and none of `absent` is on the same screen. */
export function showingWithout(view: string | RegExp, ...absent: Array<string | RegExp>): (screen: string) => boolean {
  return (screen) => shows(screen, view) && !absent.some((a) => shows(screen, a));
}

/** Filters the table to one row and waits until it shows. */
export async function filterTo(s: PtySession, text: string): Promise<string> {
  await s.press('/');
  await s.type(text);
  await s.press('enter');
  return s.waitFor(new RegExp(`\\[1/\\d+\\] </${escapeRe(text)}>`));
}

/** The lines of a describe view under its title, above the crumbs; undefined while no whole one is on screen. */
function bodyIfShown(s: PtySession): string[] | undefined {
  const lines = s.screen();
  const title = lines.findIndex((l) => /\[(yaml|json)\]/.test(l));
  const crumbs = lines.findLastIndex((l) => /^ <[^>]+>/.test(l));
  return title >= 0 && crumbs > title ? lines.slice(title + 1, crumbs) : undefined;
}

/** The lines of a describe view under its title, above the crumbs. */
export function detailBody(s: PtySession): string[] {
  const body = bodyIfShown(s);
  assert.ok(body, `a describe view on screen:\n${s.screen().join('\n')}`);
  return body;
}

/**
 * Reads a whole describe view the way a person would: G shows the last page, g goes back to the
 * top, pgdn pages through until the last page shows again.
 */
export async function readDetail(s: PtySession): Promise<string> {
  const same = (a: string[], b: string[]) => a.join('\n') === b.join('\n');
  // A frame can be read half drawn: only a whole describe view counts.
  const whole = (test: (body: string[]) => boolean) => () => {
    const body = bodyIfShown(s);
    return body !== undefined && test(body);
  };
  await s.waitFor((screen) => /\[(yaml|json)\]/.test(screen) && !screen.includes('loading…') && bodyIfShown(s) !== undefined);
  const top = detailBody(s);
  await s.press('G');
  await s.waitFor(whole((b) => !same(b, top)));
  const bottom = detailBody(s);
  await s.press('g');
  await s.waitFor(whole((b) => same(b, top)));
  const pages = [top];
  while (!same(pages.at(-1)!, bottom)) {
    const before = pages.at(-1)!;
    await s.press('pgdn');
    await s.waitFor(whole((b) => !same(b, before)));
    pages.push(detailBody(s));
  }
  return pages.flat().join('\n');
}
