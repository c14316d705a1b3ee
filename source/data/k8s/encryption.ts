/**
 * Values kube-apiserver encrypted at rest: `k8s:enc:<provider>:<version>:<key name>:` and the
 * ciphertext (aescbc, aesgcm, secretbox and kms v1 name the key; kms v2 names its plugin).
 */
export interface EncryptedAtRest {
  /** aescbc, aesgcm, secretbox, kms v1 or kms v2 */
  provider: string;
  /** the key's name in the EncryptionConfiguration (kms: the plugin's name) */
  key: string;
  /** the whole value's size */
  bytes: number;
}

const PREFIX = Buffer.from('k8s:enc:');
const HEADER = /^k8s:enc:(aescbc|aesgcm|secretbox|kms):(v\d+):([^:]{0,255}):/;

/** The provider and key of an encrypted value, or undefined when it is not one. */
export function encryptedAtRest(value: Uint8Array): EncryptedAtRest | undefined {
  if (value.length < PREFIX.length || !Buffer.from(value.subarray(0, PREFIX.length)).equals(PREFIX)) return undefined;
  const head = Buffer.from(value.subarray(0, 300)).toString('latin1');
  const m = HEADER.exec(head);
  if (!m) return {provider: head.slice(8).split(':')[0].replace(/[^\w-]/g, '?') || 'unknown', key: '', bytes: value.length};
  const provider = m[1] === 'kms' ? `kms ${m[2]}` : m[1];
  return {provider, key: m[3], bytes: value.length};
}

/** "encrypted at rest (aescbc, key key1), 1,234 bytes" */
export function encryptedLine(e: EncryptedAtRest): string {
  const key = e.key ? `, key ${e.key}` : '';
  return `encrypted at rest (${e.provider}${key}), ${e.bytes.toLocaleString('en-US')} bytes`;
}
