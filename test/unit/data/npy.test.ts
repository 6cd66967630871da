import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadDataset } from '../../../src/engine/data/load';
import { parseNpy } from '../../../src/engine/data/npy';
import { expectLetheError, npyBytes, put, tempDir } from './helpers';

const bytesOf = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

async function npyDataset(dir: string, x: Uint8Array, y: Uint8Array, tx: Uint8Array, ty: Uint8Array, extra = ''): Promise<string> {
  await put(join(dir, 'x.npy'), x);
  await put(join(dir, 'y.npy'), y);
  await put(join(dir, 'tx.npy'), tx);
  await put(join(dir, 'ty.npy'), ty);
  return put(join(dir, 'n.dataset.yaml'), `format: npy\nfiles:\n  train: {x: x.npy, y: y.npy}\n  test: {x: tx.npy, y: ty.npy}\n${extra}`);
}

describe('NPY header parsing', () => {
  it('decodes each supported dtype', () => {
    expect(Array.from(parseNpy(npyBytes('<f4', [2], bytesOf(Float32Array.of(1.5, -2))), 'a').values)).toEqual([1.5, -2]);
    expect(Array.from(parseNpy(npyBytes('<f8', [1], bytesOf(Float64Array.of(0.1))), 'a').values)).toEqual([0.1]);
    expect(Array.from(parseNpy(npyBytes('|u1', [3], Uint8Array.of(0, 128, 255)), 'a').values)).toEqual([0, 128, 255]);
    expect(Array.from(parseNpy(npyBytes('<i4', [2], bytesOf(Int32Array.of(-7, 9))), 'a').values)).toEqual([-7, 9]);
    expect(Array.from(parseNpy(npyBytes('<i8', [2], bytesOf(BigInt64Array.of(3n, -4n))), 'a').values)).toEqual([3, -4]);
    expect(parseNpy(npyBytes('<f4', [2, 3], new Uint8Array(24)), 'a').shape).toEqual([2, 3]);
  });

  it('rejects Fortran order, object, big-endian and structured dtypes clearly', () => {
    expect(() => parseNpy(npyBytes('<f4', [2, 2], new Uint8Array(16), true), 'f.npy')).toThrow(/f\.npy: header fortran_order: Fortran-order arrays are not supported/);
    expect(() => parseNpy(npyBytes('|O', [1], new Uint8Array(8)), 'f.npy')).toThrow(/f\.npy: header descr: object arrays are not supported: '\|O' \(use <f4/);
    expect(() => parseNpy(npyBytes('>f4', [1], new Uint8Array(4)), 'f.npy')).toThrow(/big-endian data is not supported/);
    const structured = npyBytes('<f4', [1], new Uint8Array(4));
    const text = Buffer.from(structured).toString('latin1').replace("'descr': '<f4'", "'descr': [('a','<f4')]");
    expect(() => parseNpy(Buffer.from(text, 'latin1'), 'f.npy')).toThrow(/structured or object dtypes/);
  });

  it('checks the shape against the bytes present before allocating', () => {
    expect(() => parseNpy(npyBytes('<f4', [1000000, 1000000, 1000000], new Uint8Array(8)), 'huge.npy')).toThrow(/huge\.npy: data: truncated: shape \(1000000, 1000000, 1000000\)/);
    expect(() => parseNpy(npyBytes('<f4', [3], new Uint8Array(8)), 't.npy')).toThrow(/truncated: shape \(3\) of <f4 needs 12 data bytes, file has 8/);
    expect(() => parseNpy(npyBytes('<f4', [3], new Uint8Array(8)).subarray(0, 20), 't.npy')).toThrow(/truncated header/);
    expect(() => parseNpy(Uint8Array.of(1, 2, 3), 't.npy')).toThrow(/not a \.npy file/);
  });
});

describe('NPY datasets', () => {
  it('loads uint8 images scaled by 1/255 and transposes channels-last to the model layout', async () => {
    const dir = await tempDir();
    // two 2×2 RGB images in HWC order; value = 10*pixel + channel (+ 100 for the second image)
    const hwc = Uint8Array.from({ length: 24 }, (_, i) => (i >= 12 ? 100 : 0) + 10 * Math.floor((i % 12) / 3) + (i % 3));
    const file = await npyDataset(dir, npyBytes('|u1', [2, 2, 2, 3], hwc), npyBytes('<i8', [2], bytesOf(BigInt64Array.of(1n, 0n))), npyBytes('|u1', [1, 2, 2, 3], hwc.subarray(0, 12)), npyBytes('<i4', [1, 1], bytesOf(Int32Array.of(1))));
    const channelsLast = await loadDataset(file);
    expect(channelsLast.train.exampleShape).toEqual([2, 2, 3]);
    expect(channelsLast.train.x[12 + 5]).toBe(Math.fround(112 / 255));
    const ds = await loadDataset(file, { inputShape: ['batch', 3, 2, 2] });
    expect(ds.train.exampleShape).toEqual([3, 2, 2]);
    // CHW index (c=2, pixel 1) of image 1 = 100 + 10*1 + 2
    expect(ds.train.x[12 + 2 * 4 + 1]).toBe(Math.fround(112 / 255));
    expect(ds.train.x[0 * 4 + 3]).toBe(Math.fround(30 / 255));
    expect(Array.from(ds.train.y)).toEqual([1, 0]);
    expect(ds.classNames).toEqual(['0', '1']);
    expect(ds.train.ids).toEqual(['train:0', 'train:1']);
    expect(ds.test.ids).toEqual(['test:0']);
    expect(ds.train.sources).toEqual([join(dir, 'x.npy'), join(dir, 'y.npy')]);
  });

  it('reads gzipped float arrays and normalises per channel', async () => {
    const dir = await tempDir();
    const x = Float32Array.of(0, 1, 2, 3, 4, 5); // two examples of shape [3, 1, 1]: channels first
    const file = await npyDataset(
      dir,
      gzipSync(npyBytes('<f4', [2, 3, 1, 1], bytesOf(x))),
      npyBytes('|u1', [2], Uint8Array.of(0, 1)),
      npyBytes('<f4', [1, 3, 1, 1], bytesOf(new Float32Array(3))),
      npyBytes('|u1', [1], Uint8Array.of(0)),
      'preprocessing: {mean: [1, 2, 3], std: [1, 2, 4]}\n',
    );
    const ds = await loadDataset(file);
    expect(ds.train.exampleShape).toEqual([3, 1, 1]);
    expect(Array.from(ds.train.x)).toEqual([-1, -0.5, -0.25, 2, 1, 0.5]);
  });

  it('rejects mismatched labels, float labels, NaN features and shapes that do not fit', async () => {
    const dir = await tempDir();
    const x = npyBytes('<f4', [2, 2], bytesOf(Float32Array.of(1, 2, 3, 4)));
    const y = npyBytes('|u1', [2], Uint8Array.of(0, 1));
    const ty = npyBytes('|u1', [1], Uint8Array.of(0));
    const tx = npyBytes('<f4', [1, 2], bytesOf(Float32Array.of(1, 2)));
    await expectLetheError(async () => loadDataset(await npyDataset(dir, x, npyBytes('|u1', [3], Uint8Array.of(0, 1, 1)), tx, ty)), /y\.npy: header shape: label shape \(3\) does not match 2 examples/);
    await expectLetheError(async () => loadDataset(await npyDataset(dir, x, npyBytes('<f4', [2], bytesOf(Float32Array.of(0, 1))), tx, ty)), /labels must be integers, not <f4/);
    await expectLetheError(async () => loadDataset(await npyDataset(dir, npyBytes('<f4', [2, 2], bytesOf(Float32Array.of(1, NaN, 3, 4))), y, tx, ty)), /x\.npy: example 0, value 1: value NaN is not finite/);
    await expectLetheError(async () => loadDataset(await npyDataset(dir, x, y, tx, ty), { inputShape: ['batch', 5] }), /examples of shape \[2\] \(2 values\) do not fit the model input \[5\]/);
    await expectLetheError(async () => loadDataset(await npyDataset(dir, x, y, npyBytes('<f4', [1, 3], new Uint8Array(12)), ty)), /tx\.npy: header shape: examples have shape \[3\], the train split's have \[2\]/);
    await expectLetheError(async () => loadDataset(await npyDataset(dir, x, y, tx, ty, 'classNames: [only]\n')), /y\.npy: label 1: label 1 is not a class number in \[0, 1\)/);
  });
});
