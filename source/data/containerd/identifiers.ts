// containerd's rule for namespace names (its identifiers package): checked before a name is sent as
// gRPC metadata or drawn on the terminal.
const NAME = /^[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+)*$/;
const MAX_LENGTH = 76;

/** Why `name` cannot be a containerd namespace, or undefined when it can. */
export function namespaceProblem(name: string): string | undefined {
  if (name.length <= MAX_LENGTH && NAME.test(name)) return undefined;
  const q = JSON.stringify(name);
  const shown = q.length > 60 ? `${q.slice(0, 57)}…"` : q;
  return `${shown} is not a containerd namespace: letters and digits with . _ - between them, at most ${MAX_LENGTH} characters`;
}
