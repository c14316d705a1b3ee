// Image references as the runtime compares them: `nginx` is `docker.io/library/nginx:latest`.

/** The fully qualified form of a reference (a digest stays, with or without a name before it). */
export function normalizeImage(ref: string): string {
  let r = ref.trim();
  if (/^sha256:[0-9a-f]{64}$/.test(r)) return r;
  const at = r.indexOf('@');
  const digest = at >= 0 ? r.slice(at) : '';
  if (at >= 0) r = r.slice(0, at);
  const slash = r.indexOf('/');
  const first = slash >= 0 ? r.slice(0, slash) : '';
  // A first part with a dot or a port, or localhost, is a registry (the docker reference rule).
  const hasRegistry = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (!hasRegistry) r = `docker.io/${slash >= 0 ? r : `library/${r}`}`;
  else if (first === 'index.docker.io') r = `docker.io/${r.slice(slash + 1)}`;
  const lastPart = r.slice(r.lastIndexOf('/') + 1);
  if (!digest && !lastPart.includes(':')) r += ':latest';
  return r + digest;
}

/** Whether a spec's image is one of the names the runtime has for what runs. */
export function sameImage(spec: string, names: string[]): boolean {
  const want = normalizeImage(spec);
  const wantDigest = want.includes('@') ? want.slice(want.indexOf('@') + 1) : undefined;
  return names.some((n) => {
    if (!n) return false;
    const have = normalizeImage(n);
    if (have === want) return true;
    // A spec pinned by digest matches a repo digest of the same repository, or the bare digest.
    if (wantDigest && (have.endsWith(`@${wantDigest}`) || have === wantDigest)) return true;
    return false;
  });
}
