import type {DataContext} from '../types.js';

/**
 * Why a namespace typed by hand should not be switched to: containerd has no such namespace (an
 * empty view would look like the node lost its workloads). Undefined: it exists, or containerd
 * cannot say right now (then the operator's word stands, and the view says what it finds).
 */
export async function namespaceProblem(ctx: DataContext, namespace: string): Promise<string | undefined> {
  let names: string[];
  try {
    names = (await ctx.containerd.listNamespaces()).map((n) => n.name);
  } catch {
    return undefined;
  }
  if (names.includes(namespace)) return undefined;
  return `containerd has no namespace "${namespace}" (it has: ${names.join(', ') || 'none'}): nothing switched`;
}
