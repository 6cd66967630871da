/** The proxy forget set (docs/calibration.md, "The proxy"): its kind, size, disjointness from F, determinism and refusals. */
import { describe, expect, it } from 'vitest';
import { drawProxy, forgetShape, proxySha256 } from '../../../src/engine/calibrate/proxy';
import { Rng } from '../../../src/engine/util/rng';

/** n examples over k classes, class i % k. */
const labelsOf = (n: number, k: number) => Int32Array.from({ length: n }, (_, i) => i % k);
const indices = (pred: (i: number) => boolean, n: number) => Int32Array.from({ length: n }, (_, i) => i).filter(pred);
const disjoint = (a: Int32Array, b: Int32Array) => !a.some((x) => b.includes(x));
const classCounts = (idx: Int32Array, labels: Int32Array, k: number) => {
  const out = new Array<number>(k).fill(0);
  for (const i of idx) out[labels[i]]++;
  return out;
};

describe('forgetShape', () => {
  const labels = labelsOf(1000, 10);

  it('calls F whole classes when it holds every example of its classes', () => {
    const f = indices((i) => labels[i] === 3 || labels[i] === 7, 1000);
    expect(forgetShape(f, labels, 10)).toMatchObject({ kind: 'class', size: 200, classes: [3, 7] });
  });

  it('calls F random when its class mix is that of a uniform draw', () => {
    const f = indices((i) => i % 7 === 0, 1000); // every class about equally
    expect(forgetShape(f, labels, 10).kind).toBe('random');
  });

  it('calls F a cluster when its class mix is far from the data’s', () => {
    const f = indices((i) => labels[i] < 2 && i < 600, 1000); // two classes, not all of them
    expect(forgetShape(f, labels, 10)).toMatchObject({ kind: 'cluster', size: 120, classes: [0, 1] });
  });
});

describe('drawProxy', () => {
  const labels = labelsOf(1000, 10);

  it('random: same size, outside F, sorted, deterministic per seed', () => {
    const random = indices((i) => i % 9 === 0, 1000);
    const shape = forgetShape(random, labels, 10);
    expect(shape.kind).toBe('random');
    const a = drawProxy(shape, random, labels, new Rng(5), 'F');
    expect(a.length).toBe(random.length);
    expect(disjoint(a, random)).toBe(true);
    expect([...a]).toEqual([...a].sort((x, y) => x - y));
    expect(new Set(a).size).toBe(a.length);
    expect(proxySha256(drawProxy(shape, random, labels, new Rng(5), 'F'))).toBe(proxySha256(a));
    expect(proxySha256(drawProxy(shape, random, labels, new Rng(6), 'F'))).not.toBe(proxySha256(a));
  });

  it('class: as many other whole classes, none of F’s', () => {
    const f = indices((i) => labels[i] === 2, 1000);
    const proxy = drawProxy(forgetShape(f, labels, 10), f, labels, new Rng(1), 'F');
    const classes = new Set([...proxy].map((i) => labels[i]));
    expect(classes.size).toBe(1);
    expect(classes.has(2)).toBe(false);
    const [c] = classes;
    expect(proxy.length).toBe(labels.filter((l) => l === c).length); // the whole class
  });

  it('cluster: F’s count in every class, outside F', () => {
    const f = indices((i) => labels[i] < 2 && i < 300, 1000);
    const proxy = drawProxy(forgetShape(f, labels, 10), f, labels, new Rng(2), 'F');
    expect(classCounts(proxy, labels, 10)).toEqual(classCounts(f, labels, 10));
    expect(disjoint(proxy, f)).toBe(true);
  });

  it('cluster: tops up from F only where a class has too few others', () => {
    const f = indices((i) => labels[i] === 0 && i < 800, 1000).slice(0, 70); // 70 of class 0's 100; 30 others left
    const more = indices((i) => labels[i] === 1, 1000).slice(0, 5);
    const forget = Int32Array.from([...f, ...more]).sort();
    const shape = forgetShape(forget, labels, 10);
    expect(shape.kind).toBe('cluster');
    const proxy = drawProxy(shape, forget, labels, new Rng(3), 'F');
    expect(classCounts(proxy, labels, 10)).toEqual(classCounts(forget, labels, 10));
    expect(proxy.filter((i) => !forget.includes(i) && labels[i] === 0).length).toBe(30); // every other class-0 example first
  });

  it('refuses a whole class when the data has two classes, in one message', () => {
    const two = labelsOf(100, 2);
    const f = indices((i) => two[i] === 0, 100);
    expect(() => drawProxy(forgetShape(f, two, 2), f, two, new Rng(0), 'sandals.forget.json')).toThrow(
      /sandals\.forget\.json forgets 1 whole class of 2: its proxy would forget as many other classes and leave 1 class to retrain the reference on; calibrating it needs at least 3 classes/,
    );
  });

  it('refuses a forget set larger than half the data', () => {
    const f = indices((i) => i < 600, 1000);
    expect(() => drawProxy(forgetShape(f, labels, 10), f, labels, new Rng(0), 'big.forget.json')).toThrow(/big\.forget\.json holds 600 of 1000 training examples, more than half/);
  });
});
