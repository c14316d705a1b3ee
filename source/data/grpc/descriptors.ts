import type protobuf from 'protobufjs';
import {parseProtoSet} from './proto-text.js';

/**
 * The protobufjs JSON descriptor of a proto set (see proto-sets.ts). Run from source, it parses
 * proto/ text; the bundle (scripts/build) replaces this module with the descriptors parsed at build
 * time, so the built CLI reads no .proto file and loads no parser.
 */
export function protoDescriptor(set: string): protobuf.INamespace {
  return parseProtoSet(set);
}
