import protobuf from 'protobufjs';
import {isInline} from './to-json.js';
import {DURATION, FIELDS_V1, INT_OR_STRING, MICRO_TIME, QUANTITY, RAW_EXTENSION, TIME, parseDuration, parseTime} from './special.js';

type Msg = Record<string, unknown>;

/** A field of the JSON that undock's protos do not have: encoding it would lose it silently. */
export class UnknownFieldError extends Error {}

const NULLABLE_TIMES = new Set([TIME, MICRO_TIME]);

function fail(path: string, what: string): never {
  throw new UnknownFieldError(`${path}: ${what}`);
}

const isObject = (v: unknown): v is Msg => typeof v === 'object' && v !== null && !Array.isArray(v);

function jsonBytes(v: unknown): Buffer {
  return Buffer.from(JSON.stringify(v));
}

function special(typeName: string, v: unknown, path: string): Msg | undefined {
  switch (typeName) {
    case TIME:
    case MICRO_TIME: {
      if (v === null) return {};
      const t = typeof v === 'string' ? parseTime(v) : undefined;
      return t ?? fail(path, `not an RFC 3339 time: ${JSON.stringify(v)}`);
    }
    case DURATION: {
      const d = typeof v === 'string' ? parseDuration(v) : undefined;
      return d === undefined ? fail(path, `not a duration: ${JSON.stringify(v)}`) : {duration: d};
    }
    case QUANTITY:
      return {string: String(v)};
    case INT_OR_STRING:
      return typeof v === 'number' ? {type: 0, intVal: v, strVal: ''} : {type: 1, intVal: 0, strVal: String(v)};
    case FIELDS_V1:
      return {Raw: jsonBytes(v)};
    case RAW_EXTENSION:
      return {raw: jsonBytes(v)};
    default:
      return undefined;
  }
}

function scalar(f: protobuf.Field, v: unknown, path: string): unknown {
  if (f.type === 'bytes') {
    if (typeof v !== 'string') fail(path, 'bytes must be base64 text');
    return Buffer.from(v, 'base64');
  }
  if (f.type === 'string') return typeof v === 'string' ? v : fail(path, `not a string: ${JSON.stringify(v)}`);
  if (f.type === 'bool') return typeof v === 'boolean' ? v : fail(path, `not a boolean: ${JSON.stringify(v)}`);
  if (typeof v === 'number' || (typeof v === 'string' && /^-?\d+$/.test(v))) return v;
  return fail(path, `not a number: ${JSON.stringify(v)}`);
}

function value(f: protobuf.Field, v: unknown, path: string): unknown {
  const t = f.resolvedType;
  if (t instanceof protobuf.Type) return jsonToMessage(t, v, path);
  return scalar(f, v, path);
}

/**
 * kubectl's JSON of an object back to the plain object protobufjs encodes: the inverse of
 * messageToJson. Map keys are sorted (Go's protobuf writes them so); a JSON field the protos do
 * not have throws UnknownFieldError naming it.
 */
export function jsonToMessage(type: protobuf.Type, v: unknown, path: string): Msg {
  const s = special(type.fullName.slice(1), v, path);
  if (s) return s;
  if (!isObject(v)) fail(path, `expected an object for ${type.name}`);
  const out: Msg = {};
  const used = new Set<string>();
  for (const f of type.fieldsArray) {
    if (isInline(f)) {
      const inner = f.resolvedType as protobuf.Type;
      const part: Msg = {};
      for (const g of inner.fieldsArray) if (g.name in v) part[g.name] = v[g.name];
      if (Object.keys(part).length === 0) continue;
      for (const k of Object.keys(part)) used.add(k);
      out[f.name] = jsonToMessage(inner, part, path);
      continue;
    }
    if (!(f.name in v) || v[f.name] === undefined) continue;
    used.add(f.name);
    const x = v[f.name];
    const at = `${path}.${f.name}`;
    if (f.map) {
      if (!isObject(x)) fail(at, 'expected an object');
      const obj: Msg = {};
      for (const k of Object.keys(x).sort()) obj[k] = value(f, x[k], `${at}.${k}`);
      out[f.name] = obj;
    } else if (f.repeated) {
      if (!Array.isArray(x)) fail(at, 'expected a list');
      out[f.name] = x.map((e, i) => value(f, e, `${at}[${i}]`));
    } else if (x !== null) {
      out[f.name] = value(f, x, at);
    } else if (f.resolvedType instanceof protobuf.Type && NULLABLE_TIMES.has(f.resolvedType.fullName.slice(1))) {
      out[f.name] = {}; // Go writes a zero metav1.Time as null, and its protobuf as an empty message
    }
  }
  // an embedded object (a StatefulSet's volumeClaimTemplates) has no TypeMeta on the wire
  if (type.fields.metadata?.type.endsWith('ObjectMeta')) for (const k of ['apiVersion', 'kind']) used.add(k);
  for (const k of Object.keys(v)) if (!used.has(k)) fail(`${path}.${k}`, `not a field of ${type.name} in undock's protos`);
  return out;
}
