/** Splits an image reference into repository, tag and digest: "127.0.0.1:5000/x/y:1.0@sha256:..". */
export function splitReference(ref: string): {repository: string; tag: string; digest: string} {
  // CRI also records an image under its config digest ("sha256:<hex>"): a name with no tag.
  if (/^sha256:[0-9a-f]{64}$/.test(ref)) return {repository: ref, tag: '', digest: ''};
  let rest = ref;
  let digest = '';
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash) return {repository: rest.slice(0, colon), tag: rest.slice(colon + 1), digest};
  return {repository: rest, tag: '', digest};
}
