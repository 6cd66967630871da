/** Test data for attribution: a pooled, standardised Fashion-MNIST subset and simple statistics. */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readIdx } from '../../../src/engine/data/idx';
import type { ConvexData } from '../../../src/engine/attribution/softmaxRegression';

/** The repository's copy of the Fashion-MNIST subset (first 10k train / 2k test images). */
export const FIXTURE = fileURLToPath(new URL('../../../examples/fashion-mnist/data', import.meta.url));
export const MLP = fileURLToPath(new URL('../../fixtures/fmnist-mlp.onnx', import.meta.url));

/** The first n images of a split as the fixture models read them (pixels / 255, [n, 1, 28, 28]) and their labels. */
export async function fashionImages(n: number, split: 'train' | 't10k' = 'train', offset = 0): Promise<{ x: Float32Array; y: Int32Array; n: number }> {
  const images = await readIdx(join(FIXTURE, `${split}-images-idx3-ubyte.gz`));
  const labels = await readIdx(join(FIXTURE, `${split}-labels-idx1-ubyte.gz`));
  const x = Float32Array.from(images.values.subarray(offset * 784, (offset + n) * 784), (v) => v / 255);
  const y = Int32Array.from(labels.values.subarray(offset, offset + n));
  return { x, y, n };
}

/**
 * The first n training images, 4×4 average-pooled to 7×7 = 49 features, standardised per feature with the
 * statistics of these n examples (a cheap, deterministic stand-in for PCA that keeps the problem convex-friendly).
 */
export async function pooledFashion(n: number, offset = 0): Promise<ConvexData> {
  const images = await readIdx(join(FIXTURE, 'train-images-idx3-ubyte.gz'));
  const labels = await readIdx(join(FIXTURE, 'train-labels-idx1-ubyte.gz'));
  const d = 49;
  const x = new Float64Array(n * d);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const src = (offset + i) * 784;
    y[i] = labels.values[offset + i];
    for (let by = 0; by < 7; by++) {
      for (let bx = 0; bx < 7; bx++) {
        let s = 0;
        for (let dy = 0; dy < 4; dy++) for (let dx = 0; dx < 4; dx++) s += images.values[src + (by * 4 + dy) * 28 + bx * 4 + dx];
        x[i * d + by * 7 + bx] = s / (16 * 255);
      }
    }
  }
  for (let j = 0; j < d; j++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += x[i * d + j];
    m /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (x[i * d + j] - m) ** 2;
    const sd = Math.sqrt(v / n) || 1;
    for (let i = 0; i < n; i++) x[i * d + j] = (x[i * d + j] - m) / sd;
  }
  return { x, y, n, d, classes: 10 };
}

export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

export function mse(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return s / a.length;
}
