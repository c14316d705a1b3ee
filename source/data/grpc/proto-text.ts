import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import protobuf from 'protobufjs';
import {anyPayloadSet, k8sObjectSet, setFiles} from './proto-sets.js';

/**
 * Parsing proto/ text into protobufjs JSON descriptors. The build runs it once (scripts/build) and
 * the bundle carries the result; only runs from source (tests, tsx) parse at load time.
 */

/** proto/ sits at the package root, three levels above this file in source/. */
export const protoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../proto');

/** Every .proto file under dir, relative to it, sorted. */
export function protoFiles(dir = protoRoot): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), {withFileTypes: true})) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.proto')) out.push(p);
    }
  };
  walk('');
  return out.sort();
}

/** The JSON descriptor of files loaded into one root (imports resolved under dir; google/protobuf/* from protobufjs). */
export function parseProtoFiles(files: string[], dir = protoRoot): protobuf.INamespace {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => (path.isAbsolute(target) ? target : path.join(dir, target));
  root.loadSync(files, {keepCase: true});
  root.resolveAll();
  return root.toJSON({keepComments: false});
}

export function parseProtoSet(set: string, dir = protoRoot): protobuf.INamespace {
  return parseProtoFiles(setFiles(set), dir);
}

/** Every set the app loads: each file of proto/, the Any payloads and the Kubernetes objects. */
export function parseAllSets(dir = protoRoot): Record<string, protobuf.INamespace> {
  const out: Record<string, protobuf.INamespace> = {};
  for (const set of [...protoFiles(dir), anyPayloadSet, k8sObjectSet]) out[set] = parseProtoSet(set, dir);
  return out;
}
