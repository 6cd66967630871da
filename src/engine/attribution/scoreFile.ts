/**
 * Score matrices on disk (attribution scores, datamodel weights): rows × cols values, row-major, as
 * float32 or float16, behind a small header. Written row block by row block and read the same way, so a
 * 60k × 10k matrix (2.4 GB in float32) never has to be in memory: DM-Direct reads only the forget rows.
 *
 * Layout (little-endian):
 *   0  8 bytes  magic "LETHESCR"
 *   8  u32      format version (1)
 *  12  u32      dtype: 1 = float32, 2 = float16
 *  16  u32      rows
 *  20  u32      cols
 *  24  u32      length of the UTF-8 JSON metadata that follows the header
 *  28  u32      byte offset of the data (header + metadata, padded to 16)
 *  32  …        metadata JSON, zero padding, then rows·cols values
 */
import { open, rename, rm, mkdir, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { LetheError } from '../util/errors';
import { decodeHalf, encodeHalf } from './float16';

export type ScoreDType = 'float32' | 'float16';

export interface ScoreFileHeader {
  rows: number;
  cols: number;
  dtype: ScoreDType;
  /** Free-form description: what rows and columns are (e.g. train ids, target ids × classes), method, seed. */
  meta: Record<string, unknown>;
}

const MAGIC = 'LETHESCR';
const VERSION = 1;
const HEADER_BYTES = 32;
const DTYPE_CODE: Record<ScoreDType, number> = { float32: 1, float16: 2 };
const MAX_DIM = 0xffffffff;

const bytesPer = (d: ScoreDType): number => (d === 'float32' ? 4 : 2);

/** Streams rows into a temporary sibling file; `close()` renames it into place only once every row is written. */
export class ScoreFileWriter {
  private rowsWritten = 0;
  private position: number;

  private constructor(
    readonly path: string,
    private readonly tmp: string,
    private readonly fh: FileHandle,
    readonly header: ScoreFileHeader,
    dataOffset: number,
  ) {
    this.position = dataOffset;
  }

  static async create(path: string, header: ScoreFileHeader): Promise<ScoreFileWriter> {
    const { rows, cols, dtype } = header;
    for (const [name, v] of [['rows', rows], ['cols', cols]] as const) {
      if (!Number.isInteger(v) || v < 1 || v > MAX_DIM) throw new LetheError(`${name} = ${v} must be an integer in 1..${MAX_DIM}`, path, 'score file');
    }
    if (!(dtype in DTYPE_CODE)) throw new LetheError(`dtype "${String(dtype)}" must be float32 or float16`, path, 'score file');
    const meta = new TextEncoder().encode(JSON.stringify(header.meta ?? {}));
    const dataOffset = Math.ceil((HEADER_BYTES + meta.length) / 16) * 16;
    const head = Buffer.alloc(dataOffset);
    head.write(MAGIC, 0, 'latin1');
    head.writeUInt32LE(VERSION, 8);
    head.writeUInt32LE(DTYPE_CODE[dtype], 12);
    head.writeUInt32LE(rows, 16);
    head.writeUInt32LE(cols, 20);
    head.writeUInt32LE(meta.length, 24);
    head.writeUInt32LE(dataOffset, 28);
    head.set(meta, HEADER_BYTES);
    await mkdir(dirname(path), { recursive: true });
    const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
    const fh = await open(tmp, 'w');
    try {
      await fh.write(head, 0, head.length, 0);
    } catch (e) {
      await fh.close();
      await rm(tmp, { force: true });
      throw e;
    }
    return new ScoreFileWriter(path, tmp, fh, { ...header, meta: header.meta ?? {} }, dataOffset);
  }

  get rowsRemaining(): number {
    return this.header.rows - this.rowsWritten;
  }

  /** Append `count` rows (count × cols values, row-major). */
  async writeRows(values: Float32Array, count = values.length / this.header.cols): Promise<void> {
    const { cols, dtype } = this.header;
    if (!Number.isInteger(count) || count < 0 || values.length < count * cols) {
      throw new LetheError(`a block of ${values.length} values does not hold ${count} rows of ${cols} columns`, this.path, 'score file');
    }
    if (count > this.rowsRemaining) throw new LetheError(`writing ${count} rows would exceed the ${this.header.rows} rows declared`, this.path, 'score file');
    const src = values.subarray(0, count * cols);
    const bytes = dtype === 'float32' ? new Uint8Array(src.buffer, src.byteOffset, src.byteLength) : new Uint8Array(encodeHalf(src).buffer);
    await this.fh.write(bytes, 0, bytes.length, this.position);
    this.position += bytes.length;
    this.rowsWritten += count;
  }

  async close(): Promise<void> {
    await this.fh.close();
    if (this.rowsWritten !== this.header.rows) {
      await rm(this.tmp, { force: true });
      throw new LetheError(`only ${this.rowsWritten} of ${this.header.rows} rows were written; the file was not created`, this.path, 'score file');
    }
    await rename(this.tmp, this.path);
  }

  /** Give up: remove the partial file. */
  async abort(): Promise<void> {
    await this.fh.close().catch(() => undefined);
    await rm(this.tmp, { force: true });
  }
}

/** Reads row blocks on demand; only the header is read on open. */
export class ScoreFileReader {
  private constructor(
    readonly path: string,
    private readonly fh: FileHandle,
    readonly header: ScoreFileHeader,
    private readonly dataOffset: number,
  ) {}

  get rows(): number {
    return this.header.rows;
  }
  get cols(): number {
    return this.header.cols;
  }

  static async open(path: string): Promise<ScoreFileReader> {
    let fh: FileHandle;
    try {
      fh = await open(path, 'r');
    } catch (e) {
      throw new LetheError(`cannot open score file: ${(e as Error).message}`, path);
    }
    try {
      const head = Buffer.alloc(HEADER_BYTES);
      const { bytesRead } = await fh.read(head, 0, HEADER_BYTES, 0);
      const bad = (msg: string): never => {
        throw new LetheError(msg, path, 'score file header');
      };
      if (bytesRead < HEADER_BYTES || head.toString('latin1', 0, 8) !== MAGIC) bad('not a Lethe score file (magic "LETHESCR" missing)');
      const version = head.readUInt32LE(8);
      if (version !== VERSION) bad(`format version ${version} is not supported (expected ${VERSION})`);
      const code = head.readUInt32LE(12);
      const dtype = (Object.keys(DTYPE_CODE) as ScoreDType[]).find((d) => DTYPE_CODE[d] === code) ?? bad(`unknown dtype code ${code}`);
      const rows = head.readUInt32LE(16);
      const cols = head.readUInt32LE(20);
      const metaBytes = head.readUInt32LE(24);
      const dataOffset = head.readUInt32LE(28);
      if (dataOffset < HEADER_BYTES + metaBytes) bad(`data offset ${dataOffset} overlaps the metadata`);
      const expected = dataOffset + rows * cols * bytesPer(dtype);
      const { size } = await fh.stat();
      if (size !== expected) bad(`file is ${size} bytes but ${rows} × ${cols} ${dtype} values need ${expected} (truncated or corrupt)`);
      const metaBuf = Buffer.alloc(metaBytes);
      await fh.read(metaBuf, 0, metaBytes, HEADER_BYTES);
      let meta: Record<string, unknown>;
      try {
        meta = JSON.parse(metaBuf.toString('utf8')) as Record<string, unknown>;
      } catch {
        return bad('metadata is not valid JSON');
      }
      return new ScoreFileReader(path, fh, { rows, cols, dtype, meta }, dataOffset);
    } catch (e) {
      await fh.close();
      throw e;
    }
  }

  /** Rows start..start+count−1 as float32 (count × cols). */
  async readRows(start: number, count: number, out = new Float32Array(count * this.cols)): Promise<Float32Array> {
    if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 0 || start + count > this.rows) {
      throw new LetheError(`rows ${start}..${start + count - 1} are outside 0..${this.rows - 1}`, this.path, 'score file');
    }
    const bpv = bytesPer(this.header.dtype);
    const n = count * this.cols;
    const buf = new Uint8Array(n * bpv);
    await this.readFully(buf, this.dataOffset + start * this.cols * bpv);
    if (this.header.dtype === 'float32') out.set(new Float32Array(buf.buffer, 0, n));
    else decodeHalf(new Uint16Array(buf.buffer, 0, n), out.subarray(0, n));
    return out;
  }

  /** The given rows (any order, repeats allowed) as float32, one row after another. */
  async readRowsAt(rows: ArrayLike<number>, out = new Float32Array(rows.length * this.cols)): Promise<Float32Array> {
    for (let r = 0; r < rows.length; r++) await this.readRows(rows[r], 1, out.subarray(r * this.cols, (r + 1) * this.cols));
    return out;
  }

  /** Consecutive row blocks of at most maxRows rows (memory stays at maxRows × cols floats). */
  async *blocks(maxRows: number): AsyncGenerator<{ start: number; count: number; values: Float32Array }> {
    if (!Number.isInteger(maxRows) || maxRows < 1) throw new LetheError(`block size ${maxRows} must be a positive integer`, this.path, 'score file');
    const buf = new Float32Array(Math.min(maxRows, this.rows) * this.cols);
    for (let start = 0; start < this.rows; start += maxRows) {
      const count = Math.min(maxRows, this.rows - start);
      const values = await this.readRows(start, count, buf.subarray(0, count * this.cols));
      yield { start, count, values };
    }
  }

  async close(): Promise<void> {
    await this.fh.close();
  }

  private async readFully(buf: Uint8Array, position: number): Promise<void> {
    // Reads are capped below 2 GB per call by Node; loop until the block is complete.
    const CHUNK = 1 << 30;
    for (let off = 0; off < buf.length; ) {
      const len = Math.min(CHUNK, buf.length - off);
      const { bytesRead } = await this.fh.read(buf, off, len, position + off);
      if (bytesRead === 0) throw new LetheError(`unexpected end of file at byte ${position + off}`, this.path, 'score file');
      off += bytesRead;
    }
  }
}

/** Write a whole in-memory matrix (convenience for small matrices and tests). */
export async function writeScoreFile(path: string, values: Float32Array, header: ScoreFileHeader): Promise<void> {
  const w = await ScoreFileWriter.create(path, header);
  try {
    await w.writeRows(values, header.rows);
  } catch (e) {
    await w.abort();
    throw e;
  }
  await w.close();
}
