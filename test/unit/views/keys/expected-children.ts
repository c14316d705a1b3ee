/** The direct children of `prefix` with their counts, by brute force over every key: what listChildren must find. */
export function expectedChildren(keys: string[], prefix: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const k of [...new Set(keys)].sort()) {
    if (!k.startsWith(prefix)) continue;
    const rest = k.slice(prefix.length);
    const cut = rest.indexOf('/');
    const child = cut < 0 || rest === '' ? k : prefix + rest.slice(0, cut + 1);
    out.set(child, (out.get(child) ?? 0) + 1);
  }
  return out;
}
