import type {ValueDescription} from '../data/values/decode.js';
import type {FieldNode} from '../data/values/protobuf.js';
import {formatBytes} from '../resources/format.js';
import {k8sObjectLines, unknownKindHead, type K8sLineOptions} from './k8s-lines.js';
import {colorJsonText, safeLine, type Line} from './yaml.js';

/** A schema-less protobuf tree: field numbers, nested messages indented, strings quoted; sanitised. */
export function fieldLines(nodes: FieldNode[]): Line[] {
  return rawFieldLines(nodes, '').map(safeLine);
}

function rawFieldLines(nodes: FieldNode[], indent: string): Line[] {
  const out: Line[] = [];
  for (const n of nodes) {
    const head = [{text: indent}, {text: String(n.field), color: 'cyan' as const}];
    if (Array.isArray(n.value)) {
      out.push([...head, {text: ' {'}]);
      out.push(...rawFieldLines(n.value, indent + '  '));
      out.push([{text: `${indent}}`}]);
    } else if (typeof n.value === 'string') {
      out.push([...head, {text: ': '}, {text: JSON.stringify(n.value), color: 'green'}]);
    } else if (Buffer.isBuffer(n.value)) {
      out.push([...head, {text: ': '}, {text: `<${n.value.length} bytes> ${n.value.subarray(0, 24).toString('hex')}`, color: 'gray'}]);
    } else {
      out.push([...head, {text: ': '}, {text: String(n.value), color: 'magenta'}]);
    }
  }
  return out;
}

/** What the preview shows for a value: decoded by kind, with what is cut said at the end; sanitised. */
export function valueLines(d: ValueDescription, opts: K8sLineOptions = {}): Line[] {
  return rawValueLines(d, opts).map(safeLine);
}

function rawValueLines(d: ValueDescription, opts: K8sLineOptions): Line[] {
  const named = k8sObjectLines(d, opts);
  if (named) return named;
  const lines: Line[] = [];
  switch (d.kind) {
    case 'empty':
      lines.push([{text: '(empty value)', color: 'gray'}]);
      break;
    case 'k8s': {
      // a kind without a schema, or protobuf that did not decode with it: today's field tree
      const head = unknownKindHead(d);
      lines.push(head.lines[0]!);
      lines.push([{text: 'apiVersion: ', color: 'cyan'}, {text: d.k8s!.apiVersion, color: 'green'}]);
      lines.push([{text: 'kind: ', color: 'cyan'}, {text: d.k8s!.kind, color: 'green'}]);
      lines.push(...head.lines.slice(1));
      if (d.k8s!.object.length) lines.push(...rawFieldLines(head.rest(d.k8s!.object), ''));
      else if (d.k8s!.raw) lines.push([{text: `<${d.k8s!.raw.length} bytes that are not protobuf>`, color: 'gray'}]);
      break;
    }
    case 'json':
      lines.push(...colorJsonText(d.text ?? ''));
      break;
    case 'binary':
      lines.push(...(d.hex ?? '').split('\n').map((l) => [{text: l}]));
      break;
    default:
      // CRLF ends a line like LF; a CR anywhere else is escaped (it would draw over the line).
      lines.push(...(d.text ?? '').split(/\r?\n/).map((l) => [{text: l}]));
  }
  if (d.truncated) lines.push([{text: `… showing the start of ${formatBytes(d.size)}`, color: 'yellow'}]);
  return lines;
}
