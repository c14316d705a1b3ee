import protobuf from 'protobufjs';
import {protoDescriptor} from '../grpc/descriptors.js';
import {k8sObjectSet} from '../grpc/proto-sets.js';

let root: protobuf.Root | undefined;

/** The k8s protos (upstream's field names kept): built into the bundle, parsed from proto/ when run from source. */
export function k8sRoot(): protobuf.Root {
  if (!root) {
    root = protobuf.Root.fromJSON(protoDescriptor(k8sObjectSet));
    root.resolveAll();
  }
  return root;
}

export function k8sType(name: string): protobuf.Type {
  return k8sRoot().lookupType(name);
}
