import {spawn} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {isUtf8} from 'node:buffer';
import type {EtcdClient} from '../../data/etcd/client.js';
import {countPrefix, getValue} from '../../data/etcd/keys.js';
import {createKey, deleteKey, deletePrefix, keyHistory, putIfUnchanged} from '../../data/etcd/edit.js';
import {UndockError} from '../../data/errors.js';
import {describeValue, MAX_INDENT_DEPTH, type ValueDescription} from '../../data/values/decode.js';
import {displayObject} from '../../data/k8s/display.js';
import {encryptedLine} from '../../data/k8s/encryption.js';
import {formatBytes} from '../../resources/format.js';
import {confirm} from '../../resources/confirm.js';
import {atExit} from '../../terminal/at-exit.js';
import type {ActionResult} from '../../resources/types.js';
import {displayKey, fromLatin1, keyText, type TreeRow} from './tree-model.js';

/** JSON up to this size (and nested no deeper than the preview indents) is described as a tree; beyond, as its pretty text. */
const DESCRIBE_TREE_BYTES = 128 * 1024;

/** A value as a person reads it in a describe view: decoded the way the preview shows it. */
export function valueForDescribe(value: Buffer, d: ValueDescription = describeValue(value)): unknown {
  // a Kubernetes object with field names; a Secret's data stays masked here (x reveals it in the preview only)
  if (d.object && (d.object.known || d.object.encoding === 'json')) return displayObject(d.object.object);
  switch (d.kind) {
    case 'encrypted':
      return encryptedLine(d.encrypted!);
    case 'k8s':
      return {apiVersion: d.k8s!.apiVersion, kind: d.k8s!.kind, encoding: 'Kubernetes protobuf, decoded without its schema', fields: d.k8s!.object};
    case 'json':
      // A tree costs far more than its text (a line object per scalar): only for values of a sane shape.
      if (value.length <= DESCRIBE_TREE_BYTES && (d.depth ?? 0) <= MAX_INDENT_DEPTH) return JSON.parse(value.toString('utf8'));
      return d.text;
    case 'binary':
      return d.hex;
    default:
      return d.text ?? '';
  }
}

/** enter on a key: its whole value and metadata. */
export function describeKey(client: EtcdClient, row: TreeRow): ActionResult {
  return {
    kind: 'describe',
    title: `key ${displayKey(row.path)}`,
    load: async () => {
      const kv = await getValue(client, fromLatin1(row.path));
      if (!kv) throw new UndockError('not-found', `${displayKey(row.path)} no longer exists`);
      const d = describeValue(kv.value);
      return {
        key: keyText(row.path),
        size: kv.value.length,
        kind: d.kind,
        version: kv.version,
        createRevision: kv.createRevision,
        modRevision: kv.modRevision,
        lease: kv.lease,
        value: valueForDescribe(kv.value, d),
      };
    },
  };
}

/** A minimal line diff (longest common subsequence), enough for values of a few hundred lines. */
export function lineDiff(before: string, after: string): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  if (a.length * b.length > 250_000) return [`(too long to compare: ${a.length} and ${b.length} lines)`];
  const lcs: number[][] = Array.from({length: a.length + 1}, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  }
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      i++;
      j++;
    } else if (i < a.length && (j >= b.length || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) out.push(`- ${a[i++]}`);
    else out.push(`+ ${b[j++]}`);
  }
  return out;
}

function asText(value: Buffer): string {
  const d = describeValue(value);
  if (d.kind === 'k8s' || d.kind === 'binary') return `<${d.kind} value, ${formatBytes(value.length)}>`;
  return d.text ?? '';
}

/** h: earlier values read at earlier revisions, back to the compaction point, with what changed between neighbours. */
export function historyOf(client: EtcdClient, row: TreeRow): ActionResult {
  return {
    kind: 'describe',
    title: `history of ${displayKey(row.path)}`,
    load: async () => {
      const h = await keyHistory(client, fromLatin1(row.path), {limit: 50});
      const versions = h.entries.map((e, n) => {
        const older = h.entries[n + 1];
        return {
          modRevision: e.modRevision,
          version: e.version,
          size: e.value.length,
          changes: older ? lineDiff(asText(older.value), asText(e.value)) : '(the oldest value that can be read)',
          value: asText(e.value),
        };
      });
      const end = h.compacted ? 'older values were compacted away' : h.complete ? 'back to the value the key was created with' : 'more versions exist';
      return {key: keyText(row.path), shown: versions.length, history: end, versions};
    },
  };
}

function editorCommand(): string[] {
  const editor = process.env.VISUAL || process.env.EDITOR || 'vi';
  return editor.split(/\s+/).filter(Boolean);
}

/**
 * e: the value in $EDITOR (a temp file), then a compare-and-swap on the mod revision it was read
 * at: if someone changed the key meanwhile, both versions are shown and nothing is written.
 */
export function editKey(client: EtcdClient, row: TreeRow): ActionResult {
  const key = displayKey(row.path);
  return {
    kind: 'handoff',
    banner: `undock: editing ${key} with ${editorCommand()[0]}: save and quit to come back`,
    passthrough: true,
    prepare: async () => {
      const kv = await getValue(client, fromLatin1(row.path));
      if (!kv) throw new UndockError('not-found', `${key} no longer exists`);
      if (!isUtf8(kv.value)) throw new UndockError('invalid', `${key} holds binary data (${formatBytes(kv.value.length)}): undock edits text values only`);
      // A private copy: mkdtemp makes the folder 0700, the file is 0600, and it goes on every way out.
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'undock-edit-'));
      const file = path.join(dir, path.basename(key).replace(/[^\w.-]/g, '_') || 'value');
      const removeCopy = () => fs.rmSync(dir, {recursive: true, force: true});
      const forget = atExit(removeCopy);
      try {
        fs.writeFileSync(file, kv.value, {mode: 0o600});
      } catch (e) {
        forget();
        removeCopy();
        throw e;
      }
      return async () => {
        try {
          const [cmd, ...args] = editorCommand();
          const code = await new Promise<number>((resolve, reject) => {
            const child = spawn(cmd!, [...args, file], {stdio: 'inherit'});
            // undock quitting or killed while the editor runs takes the editor with it.
            const stopChild = atExit(() => child.kill('SIGTERM'));
            child.on('error', (e) => {
              stopChild();
              reject(e);
            });
            child.on('exit', (c) => {
              stopChild();
              resolve(c ?? 1);
            });
          }).catch((e: NodeJS.ErrnoException) => {
            throw new UndockError('not-found', `cannot start the editor ${cmd}: ${e.code ?? e.message}`, 'set EDITOR or VISUAL');
          });
          const edited = fs.readFileSync(file);
          if (code !== 0) return {kind: 'status', text: `the editor exited with code ${code}: nothing written`, level: 'error'};
          if (edited.equals(kv.value)) return {kind: 'status', text: `${key} unchanged: nothing written`};
          return confirm(
            `Write ${key}?`,
            [`${formatBytes(kv.value.length)} -> ${formatBytes(edited.length)}`, `only if it is still at mod revision ${kv.modRevision} (compare-and-swap)`],
            'Write',
            async () => {
              const r = await putIfUnchanged(client, fromLatin1(row.path), edited, kv.modRevision);
              if (r.ok) return `wrote ${key} at revision ${r.revision}`;
              throw new UndockError(
                'invalid',
                `${key} changed since it was opened (now at mod revision ${r.current?.modRevision ?? 'gone'}): nothing written`,
                `yours: ${edited.toString('utf8').slice(0, 120).replace(/\s+/g, ' ')} | theirs: ${r.current ? r.current.value.toString('utf8').slice(0, 120).replace(/\s+/g, ' ') : '(deleted)'}`,
              );
            },
          );
        } finally {
          forget();
          removeCopy();
        }
      };
    },
  };
}

/** n: a new key (optionally under a lease), in the folder the selection is in. */
export function newKey(client: EtcdClient, folder: string): ActionResult {
  return {
    kind: 'form',
    title: 'New etcd key',
    submitLabel: 'create',
    fields: [
      {id: 'key', label: 'key', value: keyText(folder)},
      {id: 'value', label: 'value', value: ''},
      {id: 'ttl', label: 'lease TTL (s)', value: '', hint: 'empty: no lease'},
    ],
    submit: async (v) => {
      const key = v.key!.trim();
      if (!key) throw new UndockError('invalid', 'a key is needed');
      const ttl = v.ttl!.trim() ? Number(v.ttl) : undefined;
      if (ttl !== undefined && (!Number.isInteger(ttl) || ttl <= 0)) throw new UndockError('invalid', `the TTL must be a whole number of seconds, not "${v.ttl}"`);
      const value = Buffer.from(v.value ?? '', 'utf8');
      return confirm(`Create ${key}?`, [`${formatBytes(value.length)}${ttl ? `, under a new lease of ${ttl} s` : ''}`, 'only if the key does not exist yet'], 'Create', async () => {
        const r = await createKey(client, key, value, ttl);
        if (!r.ok) throw new UndockError('invalid', `${key} already exists: nothing written`, 'use e to edit it');
        return `created ${key} at revision ${r.revision}${r.lease ? ` (lease ${r.lease})` : ''}`;
      });
    },
  };
}

/** ctrl-d: one key, or a folder after counting it; exactly the keys counted are deleted. */
export async function deleteRow(client: EtcdClient, row: TreeRow): Promise<ActionResult> {
  const shown = displayKey(row.path);
  if (!row.folder) {
    const mod = String(row.info?.modRevision ?? '');
    return confirm(`Delete ${shown}?`, [`version ${row.info?.version}, mod revision ${mod}`, 'only if it is still at that revision'], 'Delete', async () => {
      const r = await deleteKey(client, fromLatin1(row.path), mod || undefined);
      if (r.deleted === 0) throw new UndockError('invalid', `${shown} changed or went away since: nothing deleted`);
      return `deleted ${shown} at revision ${r.revision}`;
    });
  }
  const {count, revision} = await countPrefix(client, fromLatin1(row.path));
  return confirm(
    `Delete all ${count} keys under ${shown}?`,
    [`counted at revision ${revision}`, 'exactly these keys: if any key under the folder is added or changed before the delete, nothing is deleted'],
    `Delete ${count} keys`,
    async () => {
      const r = await deletePrefix(client, fromLatin1(row.path), count, {countedAt: revision});
      if (!r.ok) throw new UndockError('invalid', `${shown} changed since it was counted (${r.count} keys now): nothing deleted`, 'look again and retry');
      return `deleted ${r.deleted} keys under ${shown}`;
    },
  );
}
