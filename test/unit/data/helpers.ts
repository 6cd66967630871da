/** Builders for small data files in a temporary folder, written independently of the readers under test. */
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { afterEach } from 'vitest';

const made: string[] = [];

/** A fresh temporary folder, removed after the test. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'lethe-data-'));
  made.push(dir);
  return dir;
}

afterEach(async () => {
  for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
});

export async function put(path: string, data: string | Uint8Array): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, data);
  return path;
}

/** IDX bytes: unsigned-byte data by default. */
export function idxBytes(dims: number[], data: ArrayLike<number>, type = 0x08): Uint8Array {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = type;
  header[3] = dims.length;
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(Uint8Array.from(data))]);
}

/** Writes the four MNIST files (gzipped when asked) for n train and m test 2×3 images. */
export async function writeMiniMnist(dir: string, opts: { gzip?: boolean; train?: number; test?: number } = {}): Promise<void> {
  const write = (name: string, bytes: Uint8Array) => put(join(dir, name + (opts.gzip ? '.gz' : '')), opts.gzip ? gzipSync(bytes) : bytes);
  const images = (n: number, offset: number) => Array.from({ length: n * 6 }, (_, i) => (i * 7 + offset) % 256);
  const labels = (n: number) => Array.from({ length: n }, (_, i) => i % 10);
  const n = opts.train ?? 12;
  const m = opts.test ?? 5;
  await write('train-images-idx3-ubyte', idxBytes([n, 2, 3], images(n, 0)));
  await write('train-labels-idx1-ubyte', idxBytes([n], labels(n)));
  await write('t10k-images-idx3-ubyte', idxBytes([m, 2, 3], images(m, 100)));
  await write('t10k-labels-idx1-ubyte', idxBytes([m], labels(m)));
}

/** NPY v1 bytes with the given header fields. */
export function npyBytes(descr: string, shape: number[], data: Uint8Array, fortran = false): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': ${shapeText}, }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const prefix = Buffer.alloc(10);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]).copy(prefix);
  prefix.writeUInt16LE(header.length, 8);
  return Buffer.concat([prefix, Buffer.from(header, 'latin1'), Buffer.from(data.buffer, data.byteOffset, data.byteLength)]);
}

/** A PNG whose pixel (x, y) has the RGBA value pixel(x, y). */
export function pngBytes(width: number, height: number, pixel: (x: number, y: number) => [number, number, number, number]): Uint8Array {
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) png.data.set(pixel(x, y), (y * width + x) * 4);
  }
  return PNG.sync.write(png);
}

/** Runs `fn`, expecting a LetheError whose message matches every pattern. */
export async function expectLetheError(fn: () => unknown, ...patterns: RegExp[]): Promise<Error> {
  let caught: unknown;
  try {
    await fn();
  } catch (e) {
    caught = e;
  }
  if (!(caught instanceof Error) || caught.name !== 'LetheError') throw new Error(`expected a LetheError, got ${caught instanceof Error ? caught.stack : String(caught)}`);
  for (const p of patterns) if (!p.test(caught.message)) throw new Error(`error "${caught.message}" does not match ${p}`);
  return caught;
}
