import protobuf from 'protobufjs';
import {encryptedAtRest} from './encryption.js';
import {jsonToMessage} from './from-json.js';
import {kindOf} from './kinds.js';
import {k8sType} from './schema.js';
import {messageToJson, type Json} from './to-json.js';

/** What a stored Kubernetes value is, decoded with undock's protos where it has them. */
export type K8sRead =
  | {
      ok: true;
      encoding: 'protobuf' | 'json';
      apiVersion: string;
      kind: string;
      /** the object as `kubectl get -o json` shows it (apiVersion, kind, metadata, spec, status, ...) */
      object: Record<string, unknown>;
      /** undock has this kind's schema; false: only apiVersion, kind and metadata were decoded */
      known: boolean;
    }
  | {ok: false; encrypted?: {provider: string; key: string; bytes: number}; reason: string};

export const K8S_MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);
const UNKNOWN = 'k8s.io.apimachinery.pkg.runtime.Unknown';
const OBJECT_META = 'k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta';

type Msg = Record<string, unknown>;

function startsWith(value: Uint8Array, prefix: Buffer): boolean {
  return value.length >= prefix.length && Buffer.from(value.buffer, value.byteOffset, prefix.length).equals(prefix);
}

function decodeObject(apiVersion: string, kindName: string, raw: Uint8Array): K8sRead {
  const k = kindOf(apiVersion, kindName);
  const head = {apiVersion, kind: kindName};
  try {
    if (k) {
      const type = k8sType(k.type);
      const body = messageToJson(type, type.decode(raw) as unknown as Msg) as Record<string, Json>;
      applyDefaults(kindName, body);
      return {ok: true, encoding: 'protobuf', ...head, object: {...head, ...body}, known: true};
    }
    // Every API object has its ObjectMeta as field 1: read that much of a kind undock has no schema for.
    const r = protobuf.Reader.create(raw);
    let metadata: Json | undefined;
    while (r.pos < r.len) {
      const tag = r.uint32();
      if (tag >>> 3 === 1 && (tag & 7) === 2) {
        const meta = k8sType(OBJECT_META);
        metadata = messageToJson(meta, meta.decode(r.bytes()) as unknown as Msg);
      } else r.skipType(tag & 7);
    }
    return {ok: true, encoding: 'protobuf', ...head, object: metadata ? {...head, metadata} : {...head}, known: false};
  } catch (err) {
    return {ok: false, reason: `the ${kindName || 'object'}'s protobuf does not parse (${err instanceof Error ? err.message : String(err)})`};
  }
}

/** What kube-apiserver's defaulting adds on every read, where kubectl shows it. */
function applyDefaults(kindName: string, body: Record<string, Json>): void {
  const spec = body.spec as Record<string, Json> | undefined;
  if (kindName === 'StatefulSet' && Array.isArray(spec?.volumeClaimTemplates)) {
    spec.volumeClaimTemplates = spec.volumeClaimTemplates.map((t) => ({apiVersion: 'v1', kind: 'PersistentVolumeClaim', ...(t as Record<string, Json>)}));
  }
}

function readJson(value: Uint8Array): K8sRead {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value).toString('utf8'));
  } catch {
    return {ok: false, reason: 'not a Kubernetes object (neither k8s protobuf nor JSON)'};
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {ok: false, reason: 'JSON, but not an object'};
  const o = parsed as Record<string, unknown>;
  if (typeof o.apiVersion !== 'string' || typeof o.kind !== 'string') return {ok: false, reason: 'JSON without apiVersion and kind'};
  return {ok: true, encoding: 'json', apiVersion: o.apiVersion, kind: o.kind, object: o, known: kindOf(o.apiVersion, o.kind) !== undefined};
}

/**
 * Reads a value kube-apiserver stored: `k8s\0` + runtime.Unknown protobuf, JSON (CRDs, pre-1.6
 * clusters), or `k8s:enc:...` (encrypted at rest: only its provider and key are told). Never throws.
 */
export function readK8sObject(value: Uint8Array): K8sRead {
  const encrypted = encryptedAtRest(value);
  if (encrypted) return {ok: false, encrypted, reason: 'encrypted at rest'};
  if (!startsWith(value, K8S_MAGIC)) {
    const first = value.find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09);
    return first === 0x7b ? readJson(value) : {ok: false, reason: 'not a Kubernetes object (neither k8s protobuf nor JSON)'};
  }
  let envelope: Msg;
  try {
    envelope = k8sType(UNKNOWN).decode(value.subarray(K8S_MAGIC.length)) as unknown as Msg;
  } catch (err) {
    // the shared test Pod ends in a newline after the envelope: read up to the last whole field
    const trimmed = lastWholeField(value.subarray(K8S_MAGIC.length));
    if (!trimmed) return {ok: false, reason: `the k8s envelope does not parse (${err instanceof Error ? err.message : String(err)})`};
    envelope = trimmed;
  }
  const typeMeta = (envelope.typeMeta ?? {}) as Msg;
  const apiVersion = String(typeMeta.apiVersion ?? '');
  const kindName = String(typeMeta.kind ?? '');
  if (!apiVersion && !kindName) return {ok: false, reason: 'the k8s envelope has no apiVersion or kind'};
  const encoding = String(envelope.contentEncoding ?? '');
  if (encoding) return {ok: false, reason: `the object is ${encoding}-encoded, which undock does not read`};
  return decodeObject(apiVersion, kindName, (envelope.raw as Uint8Array | undefined) ?? new Uint8Array());
}

/** runtime.Unknown read field by field, stopping before the first field that does not parse. */
function lastWholeField(buf: Uint8Array): Msg | undefined {
  const r = protobuf.Reader.create(buf);
  let end = 0;
  try {
    while (r.pos < r.len) {
      r.skipType(r.uint32() & 7);
      end = r.pos;
    }
  } catch {
    // stop at the last whole field
  }
  if (end === 0) return undefined;
  try {
    return k8sType(UNKNOWN).decode(buf.subarray(0, end)) as unknown as Msg;
  } catch {
    return undefined;
  }
}

/**
 * An object (kubectl's JSON, with apiVersion and kind) as kube-apiserver stores it: `k8s\0` and a
 * runtime.Unknown whose raw is the object's protobuf. Throws for a kind undock has no schema for,
 * and for a field its protos do not have (nothing is dropped silently).
 */
export function encodeK8sObject(obj: Record<string, unknown>): Buffer {
  const {apiVersion, kind: kindName, ...rest} = obj;
  if (typeof apiVersion !== 'string' || typeof kindName !== 'string') throw new Error('a k8s object needs apiVersion and kind');
  const k = kindOf(apiVersion, kindName);
  if (!k) throw new Error(`no schema for ${apiVersion} ${kindName} in undock's protos`);
  const type = k8sType(k.type);
  const raw = type.encode(type.fromObject(jsonToMessage(type, rest, kindName))).finish();
  const unknown = k8sType(UNKNOWN);
  const envelope = unknown.encode(unknown.fromObject({typeMeta: {apiVersion, kind: kindName}, raw, contentEncoding: '', contentType: ''})).finish();
  return Buffer.concat([K8S_MAGIC, envelope]);
}
