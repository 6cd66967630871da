import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { loadDataset } from '../../../src/engine/data/load';
import { decodeImage } from '../../../src/engine/data/imageDecode';
import { expectLetheError, pngBytes, put, tempDir } from './helpers';

/** 4 wide × 3 high; red = 10x + 50y + k, green = 2·red mod 256, blue = 7, alpha opaque. */
const pattern = (k: number) => (x: number, y: number): [number, number, number, number] => [10 * x + 50 * y + k, (2 * (10 * x + 50 * y + k)) % 256, 7, 255];
const grey = (v: number) => (): [number, number, number, number] => [v, v, v, 255];

function jpegBytes(width: number, height: number, rgb: [number, number, number]): Uint8Array {
  const data = Buffer.alloc(width * height * 4);
  for (let i = 0; i < width * height; i++) data.set([...rgb, 255], i * 4);
  return jpeg.encode({ width, height, data }, 95).data;
}

async function imageDataset(dir: string, extra = ''): Promise<string> {
  await put(join(dir, 'img/train/cat/a.png'), pngBytes(4, 3, pattern(0)));
  await put(join(dir, 'img/train/cat/b.jpg'), jpegBytes(4, 3, [200, 100, 50]));
  await put(join(dir, 'img/train/dog/sub/c.png'), pngBytes(4, 3, grey(90)));
  await put(join(dir, 'img/train/dog/notes.txt'), 'ignored');
  await put(join(dir, 'img/test/dog/y.png'), pngBytes(4, 3, pattern(1)));
  return put(join(dir, 'pets.dataset.yaml'), `format: images\nfiles: {train: img/train, test: img/test}\n${extra}`);
}

describe('image folders', () => {
  it('reads PNG and JPEG by class subfolder, as RGB channels-first by default', async () => {
    const dir = await tempDir();
    const ds = await loadDataset(await imageDataset(dir));
    expect(ds.classNames).toEqual(['cat', 'dog']);
    expect(ds.train.ids).toEqual(['file:img/train/cat/a.png', 'file:img/train/cat/b.jpg', 'file:img/train/dog/sub/c.png']);
    expect(Array.from(ds.train.y)).toEqual([0, 0, 1]);
    expect(ds.test.ids).toEqual(['file:img/test/dog/y.png']);
    expect(ds.train.exampleShape).toEqual([3, 3, 4]);
    expect(ds.train.root).toBe(dir);
    expect(ds.train.sources[0]).toBe(join(dir, 'img/train/cat/a.png'));
    const at = (i: number, c: number, y: number, x: number) => ds.train.x[i * 36 + c * 12 + y * 4 + x];
    expect(at(0, 0, 2, 3)).toBe(Math.fround(130 / 255));
    expect(at(0, 1, 2, 3)).toBe(Math.fround(4 / 255));
    expect(at(0, 2, 1, 1)).toBe(Math.fround(7 / 255));
    // JPEG is lossy: a flat colour comes back within a few levels
    expect(Math.abs(at(1, 0, 1, 1) * 255 - 200)).toBeLessThan(4);
    expect(Math.abs(at(1, 2, 1, 1) * 255 - 50)).toBeLessThan(4);
  });

  it('converts to grey and channels-last as the model input says', async () => {
    const dir = await tempDir();
    const file = await imageDataset(dir);
    const g = await loadDataset(file, { inputShape: ['batch', 1, 3, 4] });
    expect(g.train.exampleShape).toEqual([1, 3, 4]);
    expect(g.train.x[2 * 12 + 5]).toBe(Math.fround(90 / 255)); // grey stays exact
    const [r, gr, b] = pattern(0)(1, 1);
    expect(g.train.x[5]).toBeCloseTo((0.299 * r + 0.587 * gr + 0.114 * b) / 255, 6);
    // [3, 4, 3] could be either layout: the descriptor settles it.
    const hwc = await loadDataset(await imageDataset(dir, 'preprocessing: {layout: NHWC}\n'), { inputShape: ['batch', 3, 4, 3] });
    expect(hwc.train.exampleShape).toEqual([3, 4, 3]);
    expect(hwc.train.x[(2 * 4 + 3) * 3 + 0]).toBe(Math.fround(130 / 255));
    expect(hwc.train.x[(2 * 4 + 3) * 3 + 1]).toBe(Math.fround(4 / 255));
  });

  it('resizes when the descriptor asks, and refuses mixed sizes when it does not', async () => {
    const dir = await tempDir();
    const file = await imageDataset(dir, 'preprocessing: {size: [6, 8], channels: grayscale}\n');
    const ds = await loadDataset(file);
    expect(ds.train.exampleShape).toEqual([1, 6, 8]);
    const greyImage = Array.from(ds.train.x.subarray(2 * 48, 3 * 48));
    expect(greyImage.every((v) => Math.abs(v - 90 / 255) < 1e-6)).toBe(true);
    // Upscaled pattern: red grows by 10 per source column, so each output row increases left to right.
    expect(ds.train.x[1]).toBeGreaterThan(ds.train.x[0]);
    await expectLetheError(() => loadDataset(file, { inputShape: ['batch', 3, 6, 8] }), /preprocessing\.channels is grayscale but the model input \[3, 6, 8\] takes 3 channel/);
    await put(join(dir, 'img/train/dog/big.png'), pngBytes(5, 3, grey(1)));
    await expectLetheError(async () => loadDataset(await imageDataset(dir)), /big\.png: image is 3×5 but the dataset's images are 3×4; set preprocessing\.size/);
  });

  it('checks class folders against the class names', async () => {
    const dir = await tempDir();
    const file = await imageDataset(dir, 'classNames: [dog, cat]\n');
    const ds = await loadDataset(file);
    expect(Array.from(ds.train.y)).toEqual([1, 1, 0]);
    await expectLetheError(async () => loadDataset(await imageDataset(dir, 'classNames: [cat]\n')), /img\/train\/dog: class folder "dog" is not one of the class names "cat"/);
  });
});

describe('hostile images', () => {
  it('rejects truncated, oversized and mislabelled files clearly', async () => {
    const good = pngBytes(4, 3, grey(1));
    expect(() => decodeImage(good.subarray(0, good.length - 30), 'cut.png')).toThrow(/cut\.png: corrupt or truncated PNG/);
    expect(() => decodeImage(good.subarray(0, 20), 'cut.png')).toThrow(/truncated PNG \(no IHDR chunk\)/);
    const huge = Buffer.from(good);
    huge.writeUInt32BE(100000, 16);
    huge.writeUInt32BE(100000, 20);
    expect(() => decodeImage(huge, 'huge.png')).toThrow(/huge\.png: image size 100000×100000 is outside 1 to 40000000 pixels/);
    expect(() => decodeImage(Buffer.from('hello'), 'fake.png')).toThrow(/fake\.png: not a PNG or JPEG image/);
    const jpg = jpegBytes(8, 8, [1, 2, 3]);
    expect(() => decodeImage(jpg.subarray(0, 40), 'cut.jpg')).toThrow(/cut\.jpg: corrupt or truncated JPEG/);
    const dir = await tempDir();
    await put(join(dir, 'img/train/cat/z.png'), Buffer.from('not really'));
    await expectLetheError(async () => loadDataset(await imageDataset(dir)), /z\.png: not a PNG or JPEG image/);
  });

  it('reports empty and missing folders', async () => {
    const dir = await tempDir();
    await put(join(dir, 'img/train/cat/readme.md'), 'x');
    await put(join(dir, 'e.dataset.yaml'), 'format: images\nfiles: {train: img/train, test: img/nothing}\n');
    await expectLetheError(() => loadDataset(join(dir, 'e.dataset.yaml')), /img\/train: no PNG or JPEG images in class subfolders/);
    await put(join(dir, 'img/train/cat/a.png'), pngBytes(2, 2, grey(3)));
    await expectLetheError(() => loadDataset(join(dir, 'e.dataset.yaml')), /img\/nothing: image folder not found/);
  });
});
