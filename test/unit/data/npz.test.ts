import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { loadDataset } from '../../../src/engine/data/load';
import { extractZipEntry, listZip } from '../../../src/engine/data/zip';
import { expectLetheError, put, tempDir } from './helpers';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const COMPRESSED = fixture('mini-compressed.npz');
const STORED = fixture('mini-stored.npz');

async function npzDataset(dir: string, train: string, test: string, extra = ''): Promise<string> {
  return put(join(dir, 'z.dataset.yaml'), `format: npy\nfiles:\n  train: ${train}\n  test: ${test}\n${extra}`);
}

describe('NPZ archives written by NumPy', () => {
  it('reads savez_compressed arrays under the Keras default names', async () => {
    const dir = await tempDir();
    const ds = await loadDataset(await npzDataset(dir, `{x: ${COMPRESSED}, y: ${COMPRESSED}}`, `{x: ${COMPRESSED}, y: ${COMPRESSED}}`));
    expect(ds.train.exampleShape).toEqual([2, 2]);
    expect(ds.train.n).toBe(4);
    expect(ds.train.x[5]).toBe(Math.fround(50 / 255));
    expect(Array.from(ds.train.y)).toEqual([0, 1, 2, 1]);
    expect(ds.classNames).toEqual(['0', '1', '2']);
    expect(ds.test.x[0]).toBe(Math.fround(100 / 255));
    expect(Array.from(ds.test.y)).toEqual([2, 0]);
    expect(ds.train.sources).toEqual([COMPRESSED]);
    expect(ds.test.ids).toEqual(['test:0', 'test:1']);
  });

  it('reads stored (savez) arrays by name and reshapes them to the model input', async () => {
    const dir = await tempDir();
    const split = `{x: '${STORED}#images', y: '${STORED}#labels.npy'}`;
    const ds = await loadDataset(await npzDataset(dir, split, split, 'classNames: [a, b, c]\n'), { inputShape: ['batch', 4] });
    expect(ds.train.exampleShape).toEqual([4]);
    expect(ds.train.x[7]).toBeCloseTo(70 / 255, 6);
    expect(ds.classNames).toEqual(['a', 'b', 'c']);
  });

  it('names a missing array and lists the ones present, and names arrays as archive#entry', async () => {
    const dir = await tempDir();
    const mixed = `{x: '${COMPRESSED}#x_train', y: '${COMPRESSED}#y_test'}`;
    await expectLetheError(async () => loadDataset(await npzDataset(dir, mixed, mixed)), /mini-compressed\.npz#y_test\.npy: header shape: label shape \(2\) does not match 4 examples in .*mini-compressed\.npz#x_train\.npy/);
    await expectLetheError(async () => loadDataset(await npzDataset(dir, `{x: ${STORED}, y: ${STORED}}`, `{x: ${STORED}, y: ${STORED}}`)), /mini-stored\.npz: no array "x_train\.npy" in the archive; it holds "images\.npy", "labels\.npy"/);
  });
});

describe('hostile ZIP data', () => {
  const bytes = readFileSync(COMPRESSED);

  it('rejects truncated archives and out-of-range offsets', () => {
    expect(() => listZip(bytes.subarray(0, bytes.length - 30), 'cut.npz')).toThrow(/cut\.npz: not a ZIP archive \(no end-of-central-directory record\)/);
    expect(() => listZip(bytes.subarray(0, 10), 'cut.npz')).toThrow(/too short/);
    const moved = Buffer.from(bytes);
    const eocd = moved.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    moved.writeUInt32LE(0x7fffffff, eocd + 16);
    expect(() => listZip(moved, 'bad.npz')).toThrow(/central directory entry 0 lies outside the file/);
    const many = Buffer.from(bytes);
    many.writeUInt16LE(0xfffe, eocd + 10);
    expect(() => listZip(many, 'bad.npz')).toThrow(/65534 entries cannot fit/);
  });

  it('rejects corrupt compressed data and sizes that disagree', () => {
    const entry = listZip(bytes, 'a.npz').get('x_train.npy')!;
    const corrupt = Buffer.from(bytes);
    const dataStart = entry.localHeaderOffset + 30 + corrupt.readUInt16LE(entry.localHeaderOffset + 26) + corrupt.readUInt16LE(entry.localHeaderOffset + 28);
    corrupt.fill(0xff, dataStart, dataStart + 8);
    expect(() => extractZipEntry(corrupt, entry, 'a.npz')).toThrow(/a\.npz \(x_train\.npy\): corrupt deflate data/);
    expect(() => extractZipEntry(bytes, { ...entry, size: entry.size + 1 }, 'a.npz')).toThrow(/holds 144 bytes, the directory says 145/);
    expect(() => extractZipEntry(bytes, { ...entry, method: 12 }, 'a.npz')).toThrow(/compression method 12 is not supported/);
    expect(() => extractZipEntry(bytes, { ...entry, localHeaderOffset: 3 }, 'a.npz')).toThrow(/bad local header/);
  });
});
