/**
 * esbuild turns each default or namespace import of a CommonJS module (node:fs, React) into
 * __toESM(require(...)): a new object with a getter for every export, once per importing module.
 * The bundle has 166 of them; node:fs alone has ~100 exports. That copying was 4 ms of every start.
 * Here the helper is wrapped so that each module's namespace is made once and shared, as an ES
 * module's namespace object is; a module that gained exports since (a require cycle that had not
 * finished) is copied again.
 */

// esbuild's __toESM as it prints it, minified and readable (UNDOCK_BUILD_MINIFY=0).
const MINIFIED = /var ([\w$]+)=(\(([\w$]+),([\w$]+),([\w$]+)\)=>\(\5=\3!=null\?[\w$]+\([\w$]+\(\3\)\):\{\},[\w$]+\(\4\|\|!\3\|\|!\3\.__esModule\?[\w$]+\(\5,"default",\{value:\3,enumerable:!0\}\):\5,\3\)\))/g;
const READABLE = /var (__toESM) = (\(mod, isNodeMode, target\d*\) => \(target\d* = mod != null \? __create\(__getProtoOf\(mod\)\) : \{\}, __copyProps\([\s\S]*?\n  mod\n\)\));/g;

const HELPER = `
function __undockSharedToESM(toESM) {
  const made = new WeakMap();
  return (mod, isNodeMode) => {
    if (mod == null || (typeof mod !== "object" && typeof mod !== "function")) return toESM(mod, isNodeMode);
    const kind = isNodeMode || !mod.__esModule ? 1 : 0;
    const keys = Object.getOwnPropertyNames(mod).length;
    let both = made.get(mod);
    if (!both) made.set(mod, (both = [undefined, undefined]));
    const hit = both[kind];
    if (hit && hit.keys === keys) return hit.ns;
    const ns = toESM(mod, isNodeMode);
    both[kind] = {ns, keys};
    return ns;
  };
}
`;

/** The bundle's text with its __toESM shared (the build fails if esbuild printed it otherwise). */
export function shareToEsm(text: string, file: string): string {
  const re = [MINIFIED, READABLE].find((r) => (r.lastIndex = 0, r.test(text)));
  if (!re) throw new Error(`${file}: esbuild's __toESM was not found (esbuild changed: see scripts/build/to-esm-cache.ts)`);
  let count = 0;
  // A function declaration at the end is hoisted: defined before the helper's first call.
  const out = text.replace(re, (_all, name: string, arrow: string) => (count++, `var ${name}=__undockSharedToESM(${arrow})${re === READABLE ? ';' : ''}`));
  if (count !== 1) throw new Error(`${file}: ${count} definitions of __toESM (expected one)`);
  return out + HELPER;
}
