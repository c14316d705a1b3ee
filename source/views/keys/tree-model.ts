import {decodeBytes, safeBytesText, sanitizeBytes, type TextPart} from '../../data/text/sanitize.js';

/**
 * The etcd keyspace as a sorted list, read as a tree split on a separator. Keys are held as
 * latin1 strings: one char per byte, so string order is etcd's byte order and any key (binary
 * too) round-trips; `keyParts` and `displayKey` turn one into sanitised UTF-8 for the screen. A
 * folder's keys are one contiguous run of the list, so counting a folder is two binary searches.
 */
export interface KeyInfo {
  version: number;
  createRevision: number;
  modRevision: number;
  /** Lease ID in hex, '0' for none. */
  lease: string;
}

export interface TreeRow {
  /** The full key (leaf) or the folder's prefix, ending with the separator. */
  path: string;
  depth: number;
  /** What is shown: the last segment ("pods/" for a folder). */
  name: string;
  folder: boolean;
  /** Keys under a folder (all depths). */
  count: number;
  info?: KeyInfo;
  expanded: boolean;
}

export function toLatin1(key: Buffer): string {
  return key.toString('latin1');
}

export function fromLatin1(key: string): Buffer {
  return Buffer.from(key, 'latin1');
}

/** For the screen, as parts: the key's bytes as UTF-8, control characters and invalid bytes escaped. */
export function keyParts(key: string): TextPart[] {
  return sanitizeBytes(fromLatin1(key));
}

/** For the screen, as one string (dialogs, status line, titles): what keyParts shows. */
export function displayKey(key: string): string {
  return safeBytesText(fromLatin1(key));
}

/** The key as text to edit (a form's default): UTF-8, not escaped; never drawn as it is. */
export function keyText(key: string): string {
  return decodeBytes(fromLatin1(key));
}

/** Past every key starting with `prefix` (all chars are latin1, so U+0100 sorts after all of them). */
const AFTER = '\u0100';

export class KeyTree {
  readonly sep: string;
  private keys: string[] = [];
  private infos: KeyInfo[] = [];

  constructor(sep = '/') {
    this.sep = sep;
  }

  get size(): number {
    return this.keys.length;
  }

  clear(): void {
    this.keys = [];
    this.infos = [];
  }

  /** Adds keys that come in key order after all held ones (a paged load). */
  appendSorted(keys: string[], infos: KeyInfo[]): void {
    for (let i = 0; i < keys.length; i++) {
      this.keys.push(keys[i]!);
      this.infos.push(infos[i]!);
    }
  }

  private lowerBound(s: string): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keys[mid]! < s) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** [first, end) of the keys starting with prefix. */
  range(prefix: string): [number, number] {
    return [this.lowerBound(prefix), this.lowerBound(prefix + AFTER)];
  }

  count(prefix: string): number {
    const [lo, hi] = this.range(prefix);
    return hi - lo;
  }

  get(key: string): KeyInfo | undefined {
    const i = this.lowerBound(key);
    return this.keys[i] === key ? this.infos[i] : undefined;
  }

  put(key: string, info: KeyInfo): 'added' | 'changed' {
    const i = this.lowerBound(key);
    if (this.keys[i] === key) {
      this.infos[i] = info;
      return 'changed';
    }
    this.keys.splice(i, 0, key);
    this.infos.splice(i, 0, info);
    return 'added';
  }

  delete(key: string): boolean {
    const i = this.lowerBound(key);
    if (this.keys[i] !== key) return false;
    this.keys.splice(i, 1);
    this.infos.splice(i, 1);
    return true;
  }

  /** Direct children of a folder prefix: sub-folders (with their key counts) and leaves, in key order. */
  children(prefix: string, depth: number, expanded: ReadonlySet<string>): TreeRow[] {
    const out: TreeRow[] = [];
    let [i, hi] = this.range(prefix);
    while (i < hi) {
      const key = this.keys[i]!;
      const rest = key.slice(prefix.length);
      const cut = rest.indexOf(this.sep);
      if (cut < 0 || rest.length === 0) {
        out.push({path: key, depth, name: rest || '(the folder key itself)', folder: false, count: 1, info: this.infos[i], expanded: false});
        i++;
        continue;
      }
      const folder = prefix + rest.slice(0, cut + this.sep.length);
      const end = this.lowerBound(folder + AFTER);
      out.push({path: folder, depth, name: rest.slice(0, cut + this.sep.length), folder: true, count: end - i, expanded: expanded.has(folder)});
      i = end;
    }
    return out;
  }

  /** The rows on screen: children of the root, and of every expanded folder under them. */
  flatten(root: string, expanded: ReadonlySet<string>): TreeRow[] {
    const out: TreeRow[] = [];
    const walk = (prefix: string, depth: number) => {
      for (const row of this.children(prefix, depth, expanded)) {
        out.push(row);
        if (row.folder && row.expanded) walk(row.path, depth + 1);
      }
    };
    walk(root, 0);
    return out;
  }

  /** Every key under root whose text contains the needle (case-insensitive), as leaf rows. */
  /** Every key under root that holds the text (case-insensitive); `!text`: every key that does not, as in tables. */
  search(root: string, filter: string, limit = 100_000): TreeRow[] {
    const inverted = filter.startsWith('!');
    const n = (inverted ? filter.slice(1) : filter).toLowerCase();
    const [lo, hi] = this.range(root);
    const out: TreeRow[] = [];
    for (let i = lo; i < hi && out.length < limit; i++) {
      const key = this.keys[i]!;
      if (displayKey(key).toLowerCase().includes(n) !== inverted) {
        out.push({path: key, depth: 0, name: key.slice(root.length), folder: false, count: 1, info: this.infos[i], expanded: false});
      }
    }
    return out;
  }
}
