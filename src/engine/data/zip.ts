/**
 * Just enough of the ZIP format to read `.npz` archives (NumPy's savez / savez_compressed): the central directory
 * (ZIP64 included, as NumPy writes it), stored and deflated entries. Every offset and size is bounds-checked.
 */
import { inflateRawSync } from 'node:zlib';
import { LetheError } from '../util/errors';
import { MAX_FILE_BYTES } from '../util/files';
import { decompressedBudget } from '../util/memoryLimit';
import { tooLarge } from './fileBytes';

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

class Reader {
  readonly view: DataView;
  constructor(readonly bytes: Uint8Array, readonly file: string) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  need(offset: number, length: number, what: string): void {
    if (!(offset >= 0 && offset + length <= this.bytes.length)) throw new LetheError(`corrupt or truncated ZIP: ${what} lies outside the file`, this.file);
  }

  u16(o: number): number {
    return this.view.getUint16(o, true);
  }

  u32(o: number): number {
    return this.view.getUint32(o, true);
  }

  u64(o: number): number {
    const v = this.view.getBigUint64(o, true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new LetheError('corrupt ZIP: 64-bit size or offset out of range', this.file);
    return Number(v);
  }
}

function findEndOfCentralDirectory(r: Reader): number {
  const lowest = Math.max(0, r.bytes.length - 22 - 0xffff);
  for (let o = r.bytes.length - 22; o >= lowest; o--) if (r.u32(o) === EOCD) return o;
  throw new LetheError('not a ZIP archive (no end-of-central-directory record)', r.file);
}

/** Count, size and offset of the central directory, from the ZIP64 record when the classic one is saturated. */
function centralDirectory(r: Reader): { count: number; offset: number } {
  const eocd = findEndOfCentralDirectory(r);
  let count = r.u16(eocd + 10);
  let offset = r.u32(eocd + 16);
  if ((count === 0xffff || offset === 0xffffffff) && eocd >= 20 && r.u32(eocd - 20) === ZIP64_LOCATOR) {
    const record = r.u64(eocd - 20 + 8);
    r.need(record, 56, 'ZIP64 end record');
    if (r.u32(record) !== ZIP64_EOCD) throw new LetheError('corrupt ZIP64 end record', r.file);
    count = r.u64(record + 32);
    offset = r.u64(record + 48);
  }
  // Each central entry takes at least 46 bytes: a count beyond that is corruption, not a reason to loop.
  if (count * 46 > r.bytes.length) throw new LetheError(`corrupt ZIP: ${count} entries cannot fit in ${r.bytes.length} bytes`, r.file);
  return { count, offset };
}

/** Replaces saturated 32-bit fields with the values from the ZIP64 extra field (id 0x0001), in the spec's order. */
function applyZip64Extra(r: Reader, entry: ZipEntry, extraStart: number, extraLength: number): void {
  let o = extraStart;
  while (o + 4 <= extraStart + extraLength) {
    const id = r.u16(o);
    const size = r.u16(o + 2);
    if (id === 0x0001) {
      let p = o + 4;
      const take = () => {
        r.need(p, 8, 'ZIP64 extra field');
        const v = r.u64(p);
        p += 8;
        return v;
      };
      if (entry.size === 0xffffffff) entry.size = take();
      if (entry.compressedSize === 0xffffffff) entry.compressedSize = take();
      if (entry.localHeaderOffset === 0xffffffff) entry.localHeaderOffset = take();
      return;
    }
    o += 4 + size;
  }
}

export function listZip(bytes: Uint8Array, file: string): Map<string, ZipEntry> {
  const r = new Reader(bytes, file);
  if (bytes.length < 22) throw new LetheError('not a ZIP archive (too short)', file);
  const { count, offset } = centralDirectory(r);
  const entries = new Map<string, ZipEntry>();
  let o = offset;
  for (let i = 0; i < count; i++) {
    r.need(o, 46, `central directory entry ${i}`);
    if (r.u32(o) !== CENTRAL) throw new LetheError(`corrupt ZIP: bad central directory entry ${i}`, file);
    const nameLength = r.u16(o + 28);
    const extraLength = r.u16(o + 30);
    const commentLength = r.u16(o + 32);
    r.need(o + 46, nameLength + extraLength + commentLength, `central directory entry ${i}`);
    const entry: ZipEntry = {
      name: new TextDecoder().decode(bytes.subarray(o + 46, o + 46 + nameLength)),
      flags: r.u16(o + 8),
      method: r.u16(o + 10),
      compressedSize: r.u32(o + 20),
      size: r.u32(o + 24),
      localHeaderOffset: r.u32(o + 42),
    };
    applyZip64Extra(r, entry, o + 46 + nameLength, extraLength);
    entries.set(entry.name, entry);
    o += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

export function extractZipEntry(bytes: Uint8Array, entry: ZipEntry, file: string): Uint8Array {
  const r = new Reader(bytes, file);
  const where = `${file} (${entry.name})`;
  if (entry.flags & 1) throw new LetheError('encrypted ZIP entries are not supported', where);
  // The declared size bounds the inflation below, so a bomb is refused here, before any of it is inflated.
  const budget = decompressedBudget(MAX_FILE_BYTES);
  if (entry.size > budget) throw tooLarge(budget, where);
  r.need(entry.localHeaderOffset, 30, 'local header');
  if (r.u32(entry.localHeaderOffset) !== LOCAL) throw new LetheError('corrupt ZIP: bad local header', where);
  const start = entry.localHeaderOffset + 30 + r.u16(entry.localHeaderOffset + 26) + r.u16(entry.localHeaderOffset + 28);
  r.need(start, entry.compressedSize, 'entry data');
  const data = bytes.subarray(start, start + entry.compressedSize);
  let out: Uint8Array;
  if (entry.method === 0) out = data;
  else if (entry.method === 8) {
    try {
      out = inflateRawSync(data, { maxOutputLength: Math.max(1, entry.size) });
    } catch (e) {
      const past = (e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
      throw new LetheError(past ? `inflates to more than the ${entry.size} bytes the directory says` : 'corrupt deflate data', where);
    }
  } else throw new LetheError(`compression method ${entry.method} is not supported (only stored and deflate)`, where);
  if (out.length !== entry.size) throw new LetheError(`entry holds ${out.length} bytes, the directory says ${entry.size}`, where);
  return out;
}
