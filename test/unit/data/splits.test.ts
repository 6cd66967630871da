import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../../src/engine/data/types';
import { classIndices, complementOf, firstFractionPerClass, gatherBatch, seededSplit, subset } from '../../../src/engine/data/splits';
import { loadDataset } from '../../../src/engine/data/load';
import { FASHION_MNIST_SMALL } from './fixturePaths';

/** n examples of 2 values each: example i holds [i, -i]. */
function toy(labels: number[], classes = 3): Dataset {
  const n = labels.length;
  return {
    x: Float32Array.from({ length: 2 * n }, (_, k) => (k % 2 ? -Math.floor(k / 2) : k / 2)),
    y: Int32Array.from(labels),
    n,
    exampleShape: [2],
    ids: labels.map((_, i) => `train:${i}`),
    classNames: Array.from({ length: classes }, (_, c) => `c${c}`),
    sources: ['toy'],
  };
}

describe('subset', () => {
  it('copies the chosen examples in order', () => {
    const ds = toy([0, 1, 2, 0]);
    const s = subset(ds, [3, 1]);
    expect(s.n).toBe(2);
    expect(Array.from(s.x)).toEqual([3, -3, 1, -1]);
    expect(Array.from(s.y)).toEqual([0, 1]);
    expect(s.ids).toEqual(['train:3', 'train:1']);
    expect(s.classNames).toBe(ds.classNames);
    s.x[0] = 99;
    expect(ds.x[6]).toBe(3);
    expect(() => subset(ds, [4])).toThrow(RangeError);
  });
});

describe('seededSplit', () => {
  const indices = Int32Array.from({ length: 1000 }, (_, i) => i * 3);

  it('is reproducible for a seed and differs across seeds', () => {
    const one = seededSplit(indices, 0.1, 7);
    const two = seededSplit(indices, 0.1, 7);
    const other = seededSplit(indices, 0.1, 8);
    expect(Array.from(one.a)).toEqual(Array.from(two.a));
    expect(Array.from(one.a)).not.toEqual(Array.from(other.a));
  });

  it('partitions the input: round(fraction × n) in a, the rest in b, both sorted', () => {
    const { a, b } = seededSplit(indices, 0.1234, 1);
    expect(a.length).toBe(123);
    expect(b.length).toBe(877);
    const all = [...a, ...b].sort((p, q) => p - q);
    expect(all).toEqual(Array.from(indices));
    for (const part of [a, b]) for (let i = 1; i < part.length; i++) expect(part[i]).toBeGreaterThan(part[i - 1]);
    expect(() => seededSplit(indices, 1.5, 1)).toThrow(RangeError);
  });
});

describe('class selections', () => {
  const labels = [0, 1, 0, 0, 1, 2, 0, 1, 0, 0, 0, 0];

  it('takes the first floor(fraction × class size) examples of each class in file order', () => {
    const ds = toy(labels);
    // class 0 has 8 examples (indices 0,2,3,6,8,9,10,11), class 1 has 3, class 2 has 1.
    expect(Array.from(firstFractionPerClass(ds, 0.25))).toEqual([0, 2]);
    expect(Array.from(firstFractionPerClass(ds, 0.5))).toEqual([0, 1, 2, 3, 6]);
    expect(Array.from(firstFractionPerClass(ds, 1))).toEqual(labels.map((_, i) => i));
  });

  it('follows the LoTUS protocol on the Fashion-MNIST fixture', async () => {
    const { train } = await loadDataset(FASHION_MNIST_SMALL);
    const picked = firstFractionPerClass(train, 0.1);
    for (let c = 0; c < 10; c++) {
      const ofClass = Array.from(classIndices(train, [c]));
      const expected = ofClass.slice(0, Math.floor(ofClass.length / 10));
      expect(Array.from(picked).filter((i) => train.y[i] === c)).toEqual(expected);
    }
  });

  it('lists the indices of chosen classes and complements sorted index sets', () => {
    const ds = toy(labels);
    expect(Array.from(classIndices(ds, [1, 2]))).toEqual([1, 4, 5, 7]);
    expect(Array.from(complementOf(Int32Array.of(1, 4, 5, 7), 9))).toEqual([0, 2, 3, 6, 8]);
  });
});

describe('gatherBatch', () => {
  it('fills reused buffers with the indexed examples and returns how many', () => {
    const ds = toy([0, 1, 2, 0, 1]);
    const order = Int32Array.of(4, 0, 2, 3, 1);
    const x = new Float32Array(2 * 2).fill(-7);
    const y = new Int32Array(2).fill(-7);
    expect(gatherBatch(ds, order, 0, 2, x, y)).toBe(2);
    expect(Array.from(x)).toEqual([4, -4, 0, -0]);
    expect(Array.from(y)).toEqual([1, 0]);
    expect(gatherBatch(ds, order, 4, 2, x, y)).toBe(1);
    expect(Array.from(x.subarray(0, 2))).toEqual([1, -1]);
    expect(y[0]).toBe(1);
    expect(gatherBatch(ds, order, 5, 2, x, y)).toBe(0);
  });

  it('refuses buffers that are too small and indices out of range', () => {
    const ds = toy([0, 1, 2]);
    expect(() => gatherBatch(ds, [0, 1], 0, 2, new Float32Array(3), new Int32Array(2))).toThrow(RangeError);
    expect(() => gatherBatch(ds, [0, 3], 0, 2, new Float32Array(4), new Int32Array(2))).toThrow(/index 3 is outside \[0, 3\)/);
  });
});
