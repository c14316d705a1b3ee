import {safeText} from './text/sanitize.js';

/** Errors the data layer hands to views: one line for the user, and the fix. */
export type ErrorKind =
  | 'unavailable'
  | 'permission'
  | 'not-found'
  | 'deadline'
  | 'readonly'
  | 'invalid'
  | 'unauthenticated'
  | 'unknown';

export class UndockError extends Error {
  readonly kind: ErrorKind;
  readonly hint?: string;
  constructor(kind: ErrorKind, message: string, hint?: string) {
    super(message);
    this.name = 'UndockError';
    this.kind = kind;
    this.hint = hint;
  }
  /** The single line shown on screen. */
  get line(): string {
    return this.hint ? `${this.message}: ${this.hint}` : this.message;
  }
}

/** The line shown for an error, sanitised: daemons echo names (a key, a container ID) in their messages. */
export function errorLine(err: unknown): string {
  if (err instanceof UndockError) return safeText(err.line);
  if (err instanceof Error) return safeText(firstLine(err.message));
  return safeText(firstLine(String(err)));
}

function firstLine(s: string): string {
  const line = s.split('\n')[0] ?? '';
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}
