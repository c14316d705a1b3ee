// The config file: contexts (one per node or cluster), aliases and a start view, read from YAML and
// checked against a schema. A broken file is one line naming the file, the line and the problem.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as v from 'valibot';
import {LineCounter, parseDocument} from 'yaml';

const text = v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'));
// A name shows in the header and on the `:ctx` list: printable and short.
const name = v.pipe(text, v.maxLength(63, 'must be at most 63 characters'), v.regex(/^[\w.@-]+$/, 'may hold only letters, digits and . _ - @'));

const EtcdSchema = v.strictObject({
  endpoints: v.optional(v.union([text, v.pipe(v.array(text), v.minLength(1, 'needs at least one endpoint'))])),
  cacert: v.optional(text),
  cert: v.optional(text),
  key: v.optional(text),
  user: v.optional(text),
  passwordFile: v.optional(text),
});

const ContextSchema = v.strictObject({
  name,
  address: v.optional(text),
  namespace: v.optional(text),
  runtimeEndpoint: v.optional(text),
  etcd: v.optional(EtcdSchema),
  readonly: v.optional(v.boolean()),
  node: v.optional(text),
  view: v.optional(text),
});

const FileSchema = v.strictObject({
  currentContext: v.optional(name),
  startView: v.optional(text),
  aliases: v.optional(v.record(v.pipe(v.string(), v.regex(/^[a-z][\w-]*$/, 'an alias is a lower-case word')), text)),
  contexts: v.optional(v.array(ContextSchema), []),
});

export type ContextEntry = v.InferOutput<typeof ContextSchema>;
export type ConfigFileData = v.InferOutput<typeof FileSchema>;

export interface ConfigFile {
  /** Where it was read from (as the user would write it: ~ for the home folder). */
  shownPath: string;
  path: string;
  data: ConfigFileData;
}

export class ConfigFileError extends Error {}

/** $XDG_CONFIG_HOME/undock/config.yaml, else ~/.config/undock/config.yaml. */
export function defaultConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(env.HOME || os.homedir(), '.config');
  return path.join(base, 'undock', 'config.yaml');
}

function shown(file: string, env: NodeJS.ProcessEnv): string {
  const home = env.HOME || os.homedir();
  return home && file.startsWith(home + '/') ? `~/${file.slice(home.length + 1)}` : file;
}

/**
 * Reads the config file: `explicit` (--config) must exist; the default path may be absent (undefined).
 * Throws ConfigFileError with "FILE:LINE:COL: where: problem".
 */
export function readConfigFile(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): ConfigFile | undefined {
  const file = explicit ? path.resolve(explicit) : defaultConfigPath(env);
  const where = shown(file, env);
  let source: string;
  try {
    source = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !explicit) return undefined;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a folder, not a file' : (err as Error).message;
    throw new ConfigFileError(`config file ${where}: ${why}${explicit ? ' (given by --config)' : ''}`);
  }
  return {shownPath: where, path: file, data: parseConfigText(source, where)};
}

/** Parses and checks the text of a config file; `where` names it in errors. */
export function parseConfigText(source: string, where: string): ConfigFileData {
  const lines = new LineCounter();
  const doc = parseDocument(source, {lineCounter: lines, prettyErrors: false, uniqueKeys: true});
  const at = (offset: number | undefined) => {
    if (offset === undefined) return where;
    const p = lines.linePos(offset);
    return `${where}:${p.line}:${p.col}`;
  };
  const bad = doc.errors[0];
  if (bad) throw new ConfigFileError(`${at(bad.pos[0])}: ${bad.message.split('\n')[0]}`);
  const raw = (doc.toJS() as unknown) ?? {};
  const result = v.safeParse(FileSchema, raw);
  if (!result.success) {
    const issue = result.issues[0]!;
    const keys = (issue.path ?? []).map((p) => p.key as string | number);
    const node = keys.length ? (doc.getIn(keys, true) as {range?: [number, number, number]} | undefined) : undefined;
    // An unknown key has no value node of its own in the schema's path: point at its parent.
    const parent = keys.length > 1 ? (doc.getIn(keys.slice(0, -1), true) as {range?: [number, number, number]} | undefined) : undefined;
    const offset = node?.range?.[0] ?? parent?.range?.[0];
    throw new ConfigFileError(`${at(offset)}: ${describeIssue(keys, issue)}`);
  }
  const data = result.output;
  const seen = new Set<string>();
  for (const [i, c] of data.contexts.entries()) {
    if (seen.has(c.name)) {
      const node = doc.getIn(['contexts', i, 'name'], true) as {range?: [number, number, number]} | undefined;
      throw new ConfigFileError(`${at(node?.range?.[0])}: context "${c.name}" is defined twice`);
    }
    seen.add(c.name);
  }
  if (data.currentContext && !seen.has(data.currentContext)) {
    const node = doc.get('currentContext', true) as {range?: [number, number, number]} | undefined;
    throw new ConfigFileError(`${at(node?.range?.[0])}: currentContext "${data.currentContext}" is not one of the contexts (${[...seen].join(', ') || 'none defined'})`);
  }
  return data;
}

function describeIssue(keys: Array<string | number>, issue: v.BaseIssue<unknown>): string {
  const dotted = keys.map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('').replace(/^\./, '') || 'the file';
  if (issue.kind === 'schema' && issue.type === 'strict_object' && issue.expected === 'never') return `${dotted}: unknown setting`;
  if (issue.type === 'object' || issue.type === 'strict_object') return `${dotted}: expected a mapping (key: value), got ${issue.received}`;
  if (issue.kind === 'schema') return `${dotted}: expected ${issue.expected}, got ${issue.received}`;
  return `${dotted}: ${issue.message}`;
}
