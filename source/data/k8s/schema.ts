import path from 'node:path';
import {fileURLToPath} from 'node:url';
import protobuf from 'protobufjs';
import {K8S_PROTO_FILES} from './kinds.js';

/** proto/ sits at the package root, three levels above this file in source/ and in dist/. */
const protoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../proto');

let root: protobuf.Root | undefined;

/** The k8s protos, parsed once on first use (a few ms), with upstream's field names kept. */
export function k8sRoot(): protobuf.Root {
  if (!root) {
    const r = new protobuf.Root();
    r.resolvePath = (_origin, target) => (path.isAbsolute(target) ? target : path.join(protoRoot, target));
    r.loadSync(K8S_PROTO_FILES as string[], {keepCase: true});
    r.resolveAll();
    root = r;
  }
  return root;
}

export function k8sType(name: string): protobuf.Type {
  return k8sRoot().lookupType(name);
}
