import {displayObject, isSecret} from '../data/k8s/display.js';
import {encryptedLine} from '../data/k8s/encryption.js';
import type {ValueDescription} from '../data/values/decode.js';
import type {FieldNode} from '../data/values/protobuf.js';
import {toYamlLines, type Line} from './yaml.js';

export interface K8sLineOptions {
  /** a Secret's data shown decoded (x in the key tree) */
  reveal?: boolean;
}

const note = (text: string): Line => [{text, color: 'gray'}];

/**
 * A Kubernetes value as `kubectl get -o yaml` shows it, under one comment line saying how it was
 * read; undefined when the value is not one undock decoded (the caller shows the field tree).
 */
export function k8sObjectLines(d: ValueDescription, opts: K8sLineOptions = {}): Line[] | undefined {
  if (d.encrypted) {
    return [
      [{text: encryptedLine(d.encrypted), color: 'yellow'}],
      note('# kube-apiserver decrypts it with the key in its EncryptionConfiguration; etcd holds only ciphertext'),
    ];
  }
  const o = d.object;
  // JSON carries its field names whatever the kind; protobuf needs the kind's schema
  if (!o || (o.encoding === 'protobuf' && !o.known)) return undefined;
  const lines: Line[] = [];
  const how = o.encoding === 'protobuf' ? 'Kubernetes protobuf (k8s\\0), decoded with its schema' : 'stored as JSON';
  lines.push(note(`# ${o.apiVersion} ${o.kind}, ${how}`));
  if (isSecret(o.object)) lines.push(note(opts.reveal ? '# data decoded from base64: x masks it again' : '# data masked: x reveals it'));
  lines.push(...toYamlLines(displayObject(o.object, opts)));
  return lines;
}

/** A kind without a schema: its metadata with names (every object has ObjectMeta as field 1), the rest by number. */
export function unknownKindHead(d: ValueDescription): {lines: Line[]; rest: (nodes: FieldNode[]) => FieldNode[]} {
  const o = d.object;
  const lines: Line[] = [];
  if (d.objectError) lines.push(note(`# ${d.objectError}: shown by field number`));
  else lines.push(note(`# ${d.k8s?.apiVersion} ${d.k8s?.kind}: undock has no schema for this kind; metadata by name, the rest by field number`));
  if (o && !o.known && o.object.metadata) {
    lines.push(...toYamlLines({metadata: displayObject(o.object).metadata}));
    return {lines, rest: (nodes) => nodes.filter((n) => n.field !== 1)};
  }
  return {lines, rest: (nodes) => nodes};
}
