// The layering rules of source/, checked on every `npm test` (test/unit/architecture.test.ts).
// Run alone: node --import tsx scripts/check-architecture.ts [project-root]
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {findCycles, type Graph} from './architecture/cycles.js';
import {parseImports} from './architecture/parse-imports.js';

export interface ImportRule {
  name: string;
  /** The files the rule applies to (globs relative to the project root; `**` spans folders). */
  files: string[];
  /** If set, these files may import only files matching one of these (node builtins and packages are always fine). */
  only?: string[];
  /** Files they must not import... */
  not?: string[];
  /** ...unless the file matches one of these. */
  except?: string[];
}

export interface ArchitectureRules {
  /** The folder scanned, relative to the project root. */
  sources: string;
  maxLines: number;
  /** A cycle that exists only through `import type` edges is still reported when true. */
  typeOnlyCyclesAreViolations: boolean;
  imports: ImportRule[];
}

export const RULES: ArchitectureRules = {
  sources: 'source',
  maxLines: 300,
  typeOnlyCyclesAreViolations: true,
  imports: [
    {
      name: 'data/ uses nothing above it',
      files: ['source/data/**'],
      only: ['source/data/**'],
    },
    {
      name: 'ui/ draws and uses no controller',
      files: ['source/ui/**'],
      not: ['source/controllers/**', 'source/app/**', 'source/views/**', '**/controller.ts', '**/controller.tsx', 'source/keys/**'],
      // The binding type and key names, to show hints.
      except: ['source/keys/bindings.ts', 'source/keys/parse.ts'],
    },
  ],
};

export interface Violation {
  kind: 'import' | 'cycle' | 'type-cycle' | 'lines' | 'unresolved';
  /** The file at fault, relative to the project root (a cycle names its first file). */
  file: string;
  message: string;
}

/** `**` any number of folders (none too), `*` anything within one name, `?` one character. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      re += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

const matchesAny = (file: string, globs: string[] | undefined) => (globs ?? []).some((g) => globToRegExp(g).test(file));

function listSources(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, {withFileTypes: true})) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listSources(full));
    else if (/\.tsx?$/.test(entry.name)) out.push(full);
  }
  return out.sort();
}

const isFile = (p: string) => fs.statSync(p, {throwIfNoEntry: false})?.isFile() ?? false;

/** `./x.js` as TypeScript resolves it: x.ts, x.tsx, the file itself, x/index.ts, x/index.tsx. */
function resolveRelative(fromFile: string, specifier: string): {target: string; found: boolean} {
  const target = path.resolve(path.dirname(fromFile), specifier);
  const stem = target.replace(/\.(?:js|jsx|mjs|cjs)$/, '');
  const candidates = [`${stem}.ts`, `${stem}.tsx`, target, path.join(stem, 'index.ts'), path.join(stem, 'index.tsx')];
  const hit = candidates.find(isFile);
  return {target: hit ?? target, found: hit !== undefined};
}

const toPosix = (p: string) => p.split(path.sep).join('/');

/** Everything wrong with the tree under `root` by `rules`; an empty list when it keeps them. */
export function checkArchitecture(root: string = process.cwd(), rules: ArchitectureRules = RULES): Violation[] {
  const rel = (abs: string) => toPosix(path.relative(root, abs));
  const violations: Violation[] = [];
  const graph: Graph = new Map();
  const files = listSources(path.join(root, rules.sources));
  for (const abs of files) {
    const file = rel(abs);
    const text = fs.readFileSync(abs, 'utf8');
    const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
    if (lines > rules.maxLines) {
      violations.push({kind: 'lines', file, message: `${file} has ${lines} lines (max ${rules.maxLines})`});
    }
    const edges = new Map<string, boolean>();
    graph.set(file, edges);
    const applicable = rules.imports.filter((r) => matchesAny(file, r.files));
    for (const ref of parseImports(text)) {
      // Bare specifiers are node builtins and packages: no rule is about them.
      if (!ref.specifier.startsWith('.') && !ref.specifier.startsWith('/')) continue;
      const {target: targetAbs, found} = resolveRelative(abs, ref.specifier);
      const target = rel(targetAbs);
      const where = `${file}:${ref.line}`;
      if (!found) {
        violations.push({kind: 'unresolved', file, message: `${where} imports '${ref.specifier}', which is no file`});
      }
      for (const rule of applicable) {
        const outside = rule.only !== undefined && !matchesAny(target, rule.only);
        const denied = matchesAny(target, rule.not) && !matchesAny(target, rule.except);
        if (outside || denied) {
          violations.push({kind: 'import', file, message: `${where} imports ${target}${ref.typeOnly ? ' (type only)' : ''}: breaks "${rule.name}"`});
        }
      }
      if (found && /\.tsx?$/.test(target) && target.startsWith(`${rules.sources}/`)) {
        // An edge is type-only when every import along it is.
        edges.set(target, (edges.get(target) ?? true) && ref.typeOnly);
      }
    }
  }
  for (const cycle of findCycles(graph)) {
    if (cycle.typeOnly && !rules.typeOnlyCyclesAreViolations) continue;
    const shown = cycle.path.map((f, i) => (i === 0 ? f : `${graph.get(cycle.path[i - 1]!)!.get(f) ? ' -(type)-> ' : ' -> '}${f}`)).join('');
    violations.push({
      kind: cycle.typeOnly ? 'type-cycle' : 'cycle',
      file: cycle.path[0]!,
      message: `${cycle.typeOnly ? 'type-only import cycle' : 'import cycle'}: ${shown}`,
    });
  }
  return violations;
}

function main(): void {
  const root = path.resolve(process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..'));
  const violations = checkArchitecture(root);
  for (const v of violations) console.log(v.message);
  if (violations.length > 0) {
    console.error(`${violations.length} architecture violation(s)`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) main();
