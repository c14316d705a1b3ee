import {isPrintableText} from '../values/protobuf.js';

/** A value shown as a note instead of its content (folded managedFields, masked Secret data). */
export class Note {
  constructor(readonly text: string) {}
  /** JSON views show the note as text */
  toJSON(): string {
    return this.text;
  }
}

export interface DisplayOptions {
  /** Secret data shown decoded instead of masked */
  reveal?: boolean;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Note);

/** Keys sorted at every level, as `kubectl get -o yaml` writes them (Go's YAML sorts map keys). */
function sorted(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sorted);
  if (!isObject(v)) return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort()) out[k] = sorted(v[k]);
  return out;
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

function secretValue(base64: unknown, reveal: boolean): unknown {
  const bytes = Buffer.from(String(base64), 'base64');
  if (!reveal) return new Note(`•••••••• (${plural(bytes.length, 'byte')})`);
  return isPrintableText(bytes) ? bytes.toString('utf8') : new Note(`${String(base64)} (binary, base64)`);
}

function maskMap(map: unknown, reveal: boolean, encoded: boolean): unknown {
  if (!isObject(map)) return map;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(map)) {
    out[k] = encoded ? secretValue(v, reveal) : reveal ? v : new Note(`•••••••• (${plural(Buffer.byteLength(String(v)), 'byte')})`);
  }
  return out;
}

export function isSecret(obj: Record<string, unknown>): boolean {
  return obj.apiVersion === 'v1' && obj.kind === 'Secret';
}

/**
 * An object as the preview shows it: keys sorted as kubectl does, `metadata.managedFields` folded
 * to one line, a Secret's `data` and `stringData` masked unless revealed (then decoded, as k9s's x).
 */
export function displayObject(obj: Record<string, unknown>, opts: DisplayOptions = {}): Record<string, unknown> {
  const out = {...obj};
  if (isObject(out.metadata) && Array.isArray(out.metadata.managedFields)) {
    const n = out.metadata.managedFields.length;
    out.metadata = {...out.metadata, managedFields: new Note(`(${n === 1 ? '1 entry' : `${n} entries`}, folded)`)};
  }
  if (isSecret(out)) {
    if ('data' in out) out.data = maskMap(out.data, opts.reveal === true, true);
    if ('stringData' in out) out.stringData = maskMap(out.stringData, opts.reveal === true, false);
  }
  return sorted(out) as Record<string, unknown>;
}
