import protobuf from 'protobufjs';
import {DURATION, FIELDS_V1, INT_OR_STRING, MICRO_TIME, QUANTITY, RAW_EXTENSION, TIME, durationText, microTimeText, timeText, toNumber} from './special.js';

export type Json = null | boolean | number | string | Json[] | {[key: string]: Json};
type Msg = Record<string, unknown>;

const has = (m: Msg, name: string) => Object.prototype.hasOwnProperty.call(m, name);

/** `[(undock.inline) = true]`: Go embeds the struct, so its fields sit in the parent's JSON. */
export const isInline = (f: protobuf.Field) => f.options?.['(undock.inline)'] === true;
/** `[(undock.keep) = true]`: a zero value is still shown (no omitempty in Go, or a pointer). */
export const keepsZero = (f: protobuf.Field) => f.options?.['(undock.keep)'] === true;

function jsonBytes(bytes: Uint8Array | undefined): Json {
  if (!bytes || bytes.length === 0) return null;
  const text = Buffer.from(bytes).toString('utf8');
  try {
    return JSON.parse(text) as Json;
  } catch {
    return Buffer.from(bytes).toString('base64');
  }
}

/** A decoded apimachinery value in its JSON form, or undefined when the type is an ordinary message. */
function special(typeName: string, m: Msg): Json | undefined {
  switch (typeName) {
    case TIME:
      return timeText(Number(toNumber(m.seconds)), Number(m.nanos ?? 0));
    case MICRO_TIME:
      return microTimeText(Number(toNumber(m.seconds)), Number(m.nanos ?? 0));
    case DURATION:
      return durationText(Number(toNumber(m.duration)));
    case QUANTITY:
      return String(m.string ?? '0');
    case INT_OR_STRING:
      return Number(toNumber(m.type)) === 1 ? String(m.strVal ?? '') : Number(m.intVal ?? 0);
    case FIELDS_V1:
      return jsonBytes(m.Raw as Uint8Array | undefined);
    case RAW_EXTENSION:
      return jsonBytes(m.raw as Uint8Array | undefined);
    default:
      return undefined;
  }
}

function scalar(f: protobuf.Field, v: unknown): Json {
  if (f.type === 'bytes') return Buffer.from(v as Uint8Array).toString('base64');
  if (f.type === 'bool' || f.type === 'string') return v as Json;
  if (f.type === 'double' || f.type === 'float') return Number(v);
  return toNumber(v);
}

function isZero(v: Json): boolean {
  return v === '' || v === 0 || v === false;
}

function value(f: protobuf.Field, v: unknown): Json {
  const t = f.resolvedType;
  if (t instanceof protobuf.Type) return messageToJson(t, v as Msg);
  if (t instanceof protobuf.Enum) return t.valuesById[v as number] ?? (v as number);
  return scalar(f, v);
}

/**
 * A decoded protobufjs message as kubectl shows it: upstream's JSON names, zero scalars left out
 * unless the field keeps them, empty lists and maps left out, messages present on the wire kept
 * (even empty: `securityContext: {}`), embedded structs inlined, apimachinery types as their text.
 */
export function messageToJson(type: protobuf.Type, m: Msg): Json {
  const s = special(type.fullName.slice(1), m);
  if (s !== undefined) return s;
  const out: {[key: string]: Json} = {};
  for (const f of type.fieldsArray) {
    const v = m[f.name];
    if (f.map) {
      const entries = Object.entries((v as Msg | undefined) ?? {});
      if (entries.length === 0) continue;
      const obj: {[key: string]: Json} = {};
      for (const [k, x] of entries) obj[k] = value(f, x);
      out[f.name] = obj;
    } else if (f.repeated) {
      const list = (v as unknown[] | undefined) ?? [];
      if (list.length > 0) out[f.name] = list.map((x) => value(f, x));
    } else if (has(m, f.name) && v !== null && v !== undefined) {
      const j = value(f, v);
      if (isInline(f) && j && typeof j === 'object' && !Array.isArray(j)) Object.assign(out, j);
      else if (f.resolvedType instanceof protobuf.Type || keepsZero(f) || !isZero(j)) out[f.name] = j;
    }
  }
  return out;
}
