/** from -> to -> whether every import along that edge is type-only. */
export type Graph = Map<string, Map<string, boolean>>;

export interface Cycle {
  /** Files in order, the first repeated at the end. */
  path: string[];
  /** Whether some edge of it exists only in types (the cycle is gone at run time). */
  typeOnly: boolean;
}

const sorted = (g: Graph, node: string) => [...(g.get(node)?.keys() ?? [])].sort();

/**
 * The edges that close a cycle in a depth-first walk (to a file still being walked). Cutting them
 * all leaves no cycle, so they are the imports worth naming. Iterative: no stack overflow.
 */
function backEdges(g: Graph): [string, string][] {
  const state = new Map<string, 'open' | 'done'>();
  const out: [string, string][] = [];
  for (const root of [...g.keys()].sort()) {
    if (state.has(root)) continue;
    state.set(root, 'open');
    const work = [{node: root, next: sorted(g, root), at: 0}];
    while (work.length > 0) {
      const top = work[work.length - 1]!;
      if (top.at === top.next.length) {
        state.set(top.node, 'done');
        work.pop();
        continue;
      }
      const to = top.next[top.at++]!;
      if (state.get(to) === 'open') out.push([top.node, to]);
      else if (!state.has(to)) {
        state.set(to, 'open');
        work.push({node: to, next: sorted(g, to), at: 0});
      }
    }
  }
  return out;
}

/** The shortest path from `from` to `to`, by breadth-first search. */
function shortestPath(g: Graph, from: string, to: string): string[] | undefined {
  const prev = new Map<string, string>([[from, from]]);
  const queue = [from];
  for (let q = 0; q < queue.length; q++) {
    const node = queue[q]!;
    if (node === to) {
      const path = [to];
      while (path[0] !== from) path.unshift(prev.get(path[0]!)!);
      return path;
    }
    for (const next of sorted(g, node)) {
      if (prev.has(next)) continue;
      prev.set(next, node);
      queue.push(next);
    }
  }
  return undefined;
}

/** Rotated to start at its smallest file, so a -> b -> a and b -> a -> b are one cycle. */
function canonical(loop: string[]): string[] {
  let best = 0;
  for (let i = 1; i < loop.length; i++) if (loop[i]! < loop[best]!) best = i;
  return [...loop.slice(best), ...loop.slice(0, best)];
}

function cyclesOf(g: Graph, typeOnly: boolean, seen: Set<string>): Cycle[] {
  const out: Cycle[] = [];
  for (const [from, to] of backEdges(g)) {
    const back = shortestPath(g, to, from);
    if (!back) continue;
    const loop = canonical(back);
    const key = loop.join('\u0000');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({path: [...loop, loop[0]!], typeOnly});
  }
  return out;
}

/**
 * One cycle per import that closes one, runtime cycles first (among runtime edges only). The
 * type-only ones are then found with those closing imports left out: what remains of the runtime
 * edges has no cycle, so every cycle found then goes through a type-only import. A type-only cycle
 * that needs one of those runtime imports shows up once that import is cut.
 */
export function findCycles(graph: Graph): Cycle[] {
  const runtime: Graph = new Map();
  for (const [from, edges] of graph) runtime.set(from, new Map([...edges].filter(([, typeOnly]) => !typeOnly)));
  const seen = new Set<string>();
  const found = cyclesOf(runtime, false, seen);
  const rest: Graph = new Map([...graph].map(([from, edges]) => [from, new Map(edges)]));
  for (const [from, to] of backEdges(runtime)) rest.get(from)!.delete(to);
  return [...found, ...cyclesOf(rest, true, seen)];
}
