import { describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gunzipSync, gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { loadDataset } from '../../../src/engine/data/load';
import { FASHION_MNIST_SMALL } from './fixturePaths';
import { parseIdx } from '../../../src/engine/data/idx';
import { readMaybeGzipped } from '../../../src/engine/data/fileBytes';
import { FASHION_MNIST_CLASS_NAMES } from '../../../src/engine/data/labels';
import { expectLetheError, idxBytes, put, tempDir, writeMiniMnist } from './helpers';

/**
 * The four IDX files alone in a folder named like the dataset: recognised without a descriptor (the example's
 * own folder also holds a descriptor, which would win).
 */
const FIXTURE = join(mkdtempSync(join(tmpdir(), 'lethe-idx-')), 'fashion-mnist');
mkdirSync(FIXTURE);
for (const f of ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']) copyFileSync(join(FASHION_MNIST_SMALL, f), join(FIXTURE, f));
const FULL = '/usr/share/datasets/fashion-mnist';

/** Raw bytes straight from the gzip, parsed by offset (16-byte image header, 8-byte label header). */
function rawFixture(name: string): Buffer {
  return gunzipSync(readFileSync(join(FIXTURE, name)));
}

describe('Fashion-MNIST fixture folder', () => {
  it('loads 10k/2k examples whose pixels and labels equal the raw IDX bytes', async () => {
    const ds = await loadDataset(FIXTURE);
    const images = rawFixture('train-images-idx3-ubyte.gz');
    const labels = rawFixture('train-labels-idx1-ubyte.gz');
    const testLabels = rawFixture('t10k-labels-idx1-ubyte.gz');
    expect(images.readUInt32BE(0)).toBe(0x803);
    expect(ds.train.n).toBe(10000);
    expect(ds.test.n).toBe(2000);
    expect(ds.train.exampleShape).toEqual([1, 28, 28]);
    expect(ds.classNames).toEqual(FASHION_MNIST_CLASS_NAMES);
    expect(ds.classNames[0]).toBe('T-shirt/top');
    for (const i of [0, 1, 2, 4321, 9999]) expect(ds.train.y[i]).toBe(labels[8 + i]);
    for (const i of [0, 1999]) expect(ds.test.y[i]).toBe(testLabels[8 + i]);
    for (const [image, pixel] of [[0, 0], [0, 300], [0, 783], [9999, 400], [5000, 222]]) {
      expect(ds.train.x[image * 784 + pixel]).toBe(Math.fround(images[16 + image * 784 + pixel] / 255));
    }
    expect(ds.train.ids[0]).toBe('train:0');
    expect(ds.test.ids[1999]).toBe('test:1999');
    expect(ds.train.sources).toEqual([join(FIXTURE, 'train-images-idx3-ubyte.gz'), join(FIXTURE, 'train-labels-idx1-ubyte.gz')]);
    expect(ds.path).toBe(FIXTURE);
  });

  it('lays examples out as the model input asks', async () => {
    const pixel = rawFixture('train-images-idx3-ubyte.gz')[16 + 784 + 400] / 255;
    const nhwc = await loadDataset(FIXTURE, { inputShape: ['batch', 28, 28, 1] });
    expect(nhwc.train.exampleShape).toEqual([28, 28, 1]);
    const flat = await loadDataset(FIXTURE, { inputShape: ['N', 784] });
    expect(flat.train.exampleShape).toEqual([784]);
    expect(flat.train.x[784 + 400]).toBe(Math.fround(pixel));
    const rgb = await loadDataset(FIXTURE, { inputShape: [1, 3, 28, 28] });
    expect(rgb.train.exampleShape).toEqual([3, 28, 28]);
    const base = 3 * 784;
    expect([rgb.train.x[base + 400], rgb.train.x[base + 784 + 400], rgb.train.x[base + 2 * 784 + 400]]).toEqual(Array(3).fill(Math.fround(pixel)));
  });

  it('refuses a model input of another image size without a resize', async () => {
    await expectLetheError(() => loadDataset(FIXTURE, { inputShape: ['batch', 1, 32, 32] }), /32×32/, /preprocessing\.size/);
    await expectLetheError(() => loadDataset(FIXTURE, { inputShape: ['batch', 100] }), /100 values/);
  });

  it('loads the full Debian Fashion-MNIST (60k × 784)', async () => {
    if (!existsSync(FULL)) throw new Error(`this test needs the full Fashion-MNIST at ${FULL}: apt-get install dataset-fashion-mnist`);
    const ds = await loadDataset(FULL);
    expect(ds.train.n).toBe(60000);
    expect(ds.test.n).toBe(10000);
    const labels = gunzipSync(readFileSync(join(FULL, 'train-labels-idx1-ubyte.gz')));
    expect(ds.train.y[59999]).toBe(labels[8 + 59999]);
    const images = gunzipSync(readFileSync(join(FULL, 'train-images-idx3-ubyte.gz')));
    const last = Array.from(images.subarray(16 + 59999 * 784, 16 + 60000 * 784), (v) => Math.fround(v / 255));
    expect(Array.from(ds.train.x.subarray(59999 * 784, 60000 * 784))).toEqual(last);
  });
});

describe('MNIST-style folders', () => {
  it('reads raw and gzipped files alike, with digit class names outside "fashion" paths', async () => {
    const raw = await tempDir();
    const zipped = await tempDir();
    await writeMiniMnist(raw);
    await writeMiniMnist(zipped, { gzip: true });
    const a = await loadDataset(raw);
    const b = await loadDataset(zipped);
    expect(a.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(a.train.exampleShape).toEqual([1, 2, 3]);
    expect(a.train.n).toBe(12);
    expect(Array.from(a.train.x)).toEqual(Array.from(b.train.x));
    // image 1, pixel 2 was written as (1*6+2)*7 % 256 = 56
    expect(a.train.x[6 + 2]).toBe(Math.fround(56 / 255));
    expect(a.test.x[0]).toBe(Math.fround(100 / 255));
  });

  it('explains a folder that is not a dataset', async () => {
    const dir = await tempDir();
    await put(join(dir, 'train-images-idx3-ubyte'), idxBytes([1, 1, 1], [0]));
    await expectLetheError(() => loadDataset(dir), /folder is not a dataset/, /t10k-labels-idx1-ubyte/);
    await expectLetheError(() => loadDataset(join(dir, 'nope')), /dataset not found/);
    await expectLetheError(() => loadDataset(join(dir, 'train-images-idx3-ubyte')), /not a dataset/);
  });

  it('rejects labels outside the class names and counts that disagree', async () => {
    const dir = await tempDir();
    await writeMiniMnist(dir);
    await put(join(dir, 'train-labels-idx1-ubyte'), idxBytes([12], [...Array(11).fill(0), 10]));
    await expectLetheError(() => loadDataset(dir), /train-labels-idx1-ubyte: label 11: label 10 is not a class number in \[0, 10\)/);
    await put(join(dir, 'train-labels-idx1-ubyte'), idxBytes([11], Array(11).fill(0)));
    await expectLetheError(() => loadDataset(dir), /11 labels for 12 images/);
    await writeMiniMnist(dir, { test: 0 });
    await expectLetheError(() => loadDataset(dir), /t10k-images-idx3-ubyte: the test split has no examples/);
  });
});

describe('hostile IDX files', () => {
  it('checks the magic number and the header', () => {
    expect(() => parseIdx(Uint8Array.from([1, 2, 8, 1]), 'f.idx')).toThrow(/f\.idx: header: not an IDX file \(its first bytes are not an IDX magic number\)$/);
    expect(() => parseIdx(Uint8Array.from([0, 0, 0x42, 1, 0, 0, 0, 0]), 'f.idx')).toThrow(/not an IDX file/);
    expect(() => parseIdx(Uint8Array.from([0, 0, 8, 3, 0, 0]), 'f.idx')).toThrow(/truncated header/);
    expect(() => parseIdx(Uint8Array.from([0, 0]), 'f.idx')).toThrow(/too short/);
  });

  it('bounds absurd dimensions by the file size before allocating', () => {
    const bytes = idxBytes([0xffffffff, 0xffffffff, 0xffffffff], [1, 2, 3]);
    expect(() => parseIdx(bytes, 'huge.idx')).toThrow(/truncated: dimensions 4294967295×4294967295×4294967295/);
  });

  it('rejects truncated data and trailing bytes', () => {
    expect(() => parseIdx(idxBytes([10, 28, 28], new Uint8Array(100)), 't.idx')).toThrow(/truncated: dimensions 10×28×28 need 7840 bytes of unsigned byte data, file has 100/);
    expect(() => parseIdx(idxBytes([2], [1, 2, 3]), 't.idx')).toThrow(/trailing bytes/);
  });

  it('decodes big-endian multi-byte types', () => {
    const body = Buffer.alloc(8);
    body.writeFloatBE(1.5, 0);
    body.writeFloatBE(-2.25, 4);
    const header = idxBytes([2], [], 0x0d);
    const parsed = parseIdx(Buffer.concat([header, body]), 'f.idx');
    expect(Array.from(parsed.values)).toEqual([1.5, -2.25]);
    expect(parsed.unsignedBytes).toBe(false);
    const shorts = Buffer.alloc(4);
    shorts.writeInt16BE(-300, 0);
    shorts.writeInt16BE(7, 2);
    expect(Array.from(parseIdx(Buffer.concat([idxBytes([2], [], 0x0b), shorts]), 'f').values)).toEqual([-300, 7]);
  });

  it('names truncated gzip data and bounds decompression', async () => {
    const dir = await tempDir();
    const whole = gzipSync(idxBytes([100, 28, 28], new Uint8Array(78400)));
    const cut = await put(join(dir, 'cut.gz'), whole.subarray(0, whole.length - 20));
    await expectLetheError(() => readMaybeGzipped(cut), /cut\.gz: corrupt or truncated gzip/);
    const bomb = await put(join(dir, 'bomb.gz'), gzipSync(new Uint8Array(1 << 20)));
    await expectLetheError(() => readMaybeGzipped(bomb, 1000), /decompresses to more than 1000 bytes/);
  });
});
