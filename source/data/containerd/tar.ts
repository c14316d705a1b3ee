// A minimal tar reader (an index of a file's entries, read in place) and writer, for image archives.
import fs from 'node:fs';
import {pipeline} from 'node:stream/promises';
import {createGunzip} from 'node:zlib';
import {UndockError} from '../errors.js';

export interface TarEntry {
  name: string;
  /** Where the entry's data starts in the (uncompressed) file. */
  offset: number;
  size: number;
  type: 'file' | 'dir' | 'other';
}

const BLOCK = 512;

function field(h: Buffer, start: number, len: number): string {
  const raw = h.subarray(start, start + len);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? len : end).toString('utf8');
}

function octal(h: Buffer, start: number, len: number): number {
  // GNU base-256 for sizes of 8 GiB and more: high bit set in the first byte.
  if (h[start]! & 0x80) {
    let n = 0;
    for (let i = start + 1; i < start + len; i++) n = n * 256 + h[i]!;
    return n;
  }
  const text = field(h, start, len).trim();
  return text ? parseInt(text, 8) : 0;
}

/** PAX extended header records: "LEN key=value\n". Only `path` and `size` matter here. */
function paxRecords(buf: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  while (i < buf.length) {
    const space = buf.indexOf(0x20, i);
    if (space < 0) break;
    const len = parseInt(buf.subarray(i, space).toString('utf8'), 10);
    if (!(len > 0)) break;
    const record = buf.subarray(space + 1, i + len - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0) out[record.slice(0, eq)] = record.slice(eq + 1);
    i += len;
  }
  return out;
}

export const cleanName = (name: string) => name.replace(/^(\.\/)+/, '').replace(/\/+$/, '');

/** Every entry of an uncompressed tar file, by name, with where its bytes are (nothing is copied). */
export async function indexTar(file: string): Promise<Map<string, TarEntry>> {
  const fh = await fs.promises.open(file, 'r');
  const entries = new Map<string, TarEntry>();
  try {
    const {size: fileSize} = await fh.stat();
    const h = Buffer.alloc(BLOCK);
    let pos = 0;
    let longName: string | undefined;
    let pax: Record<string, string> = {};
    while (pos + BLOCK <= fileSize) {
      await fh.read(h, 0, BLOCK, pos);
      if (h.every((b) => b === 0)) break;
      if (field(h, 257, 5) !== 'ustar' && h.subarray(257, 262).some((b) => b !== 0)) {
        throw new UndockError('invalid', `${file} is not a tar archive (bad header at byte ${pos})`, 'give a `docker save` archive or an OCI layout tarball');
      }
      const type = String.fromCharCode(h[156]!);
      let size = octal(h, 124, 12);
      const dataAt = pos + BLOCK;
      if (type === 'x' || type === 'L') {
        const body = Buffer.alloc(size);
        await fh.read(body, 0, size, dataAt);
        if (type === 'x') pax = paxRecords(body);
        else longName = body.toString('utf8').replace(/\0+$/, '');
      } else if (type !== 'g') {
        const prefix = field(h, 345, 155);
        const name = cleanName(pax.path ?? longName ?? (prefix ? `${prefix}/${field(h, 0, 100)}` : field(h, 0, 100)));
        if (pax.size) size = Number(pax.size);
        const kind = type === '0' || type === '\0' ? 'file' : type === '5' ? 'dir' : 'other';
        entries.set(name, {name, offset: dataAt, size, type: kind});
        longName = undefined;
        pax = {};
      }
      pos = dataAt + Math.ceil(size / BLOCK) * BLOCK;
    }
  } finally {
    await fh.close();
  }
  return entries;
}

/** A gzip-compressed archive is expanded to `into` first (tar entries are then read in place). */
export async function uncompressedTar(file: string, into: string): Promise<string> {
  const fh = await fs.promises.open(file, 'r');
  const magic = Buffer.alloc(2);
  await fh.read(magic, 0, 2, 0);
  await fh.close();
  if (magic[0] !== 0x1f || magic[1] !== 0x8b) return file;
  await pipeline(fs.createReadStream(file), createGunzip(), fs.createWriteStream(into, {mode: 0o600}));
  return into;
}

export async function readEntry(file: string, e: TarEntry, max = 16 * 1024 * 1024): Promise<Buffer> {
  if (e.size > max) throw new UndockError('invalid', `${e.name} in ${file} is ${e.size} bytes, too large for a JSON document`);
  const fh = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.alloc(e.size);
    await fh.read(buf, 0, e.size, e.offset);
    return buf;
  } finally {
    await fh.close();
  }
}

function header(name: string, size: number, type: '0' | '5'): Buffer {
  const h = Buffer.alloc(BLOCK);
  if (Buffer.byteLength(name) > 100) throw new Error(`tar name too long: ${name}`);
  h.write(name, 0, 100, 'utf8');
  h.write(type === '5' ? '0000755\0' : '0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(size.toString(8).padStart(11, '0') + '\0', 124);
  h.write(Math.floor(Date.now() / 1000).toString(8).padStart(11, '0') + '\0', 136);
  h.write('        ', 148);
  h.write(type, 156);
  h.write('ustar\0', 257);
  h.write('00', 263);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
  return h;
}

/** Writes a tar file entry by entry, synchronously (blobs arrive as stream messages). */
export class TarWriter {
  private readonly fd: number;
  constructor(file: string) {
    this.fd = fs.openSync(file, 'wx', 0o644);
  }
  dir(name: string): void {
    fs.writeSync(this.fd, header(`${name}/`, 0, '5'));
  }
  file(name: string, data: Buffer): void {
    this.begin(name, data.length);
    fs.writeSync(this.fd, data);
    this.finish(data.length);
  }
  begin(name: string, size: number): void {
    fs.writeSync(this.fd, header(name, size, '0'));
  }
  write(chunk: Buffer): void {
    fs.writeSync(this.fd, chunk);
  }
  finish(size: number): void {
    const pad = (BLOCK - (size % BLOCK)) % BLOCK;
    if (pad) fs.writeSync(this.fd, Buffer.alloc(pad));
  }
  close(): void {
    fs.writeSync(this.fd, Buffer.alloc(BLOCK * 2));
    fs.closeSync(this.fd);
  }
  abort(): void {
    fs.closeSync(this.fd);
  }
}
