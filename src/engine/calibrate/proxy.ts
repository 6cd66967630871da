/**
 * The proxy forget set: drawn like the user's forget set F (same size and kind), seeded, from the training
 * split without F's examples where possible, so calibration never trains a reference without F itself
 * (docs/calibration.md, "The proxy").
 */
import { createHash } from 'node:crypto';
import type { ForgetKind } from '../contracts/calibration';
import { complementOf } from '../data/splits';
import { LetheError } from '../util/errors';
import type { Rng } from '../util/rng';

export interface ForgetShape {
  kind: ForgetKind;
  size: number;
  /** The classes of F, ascending. */
  classes: number[];
  /** Examples of F per class (length k). */
  perClass: number[];
}

/** Wilson–Hilferty z of a chi-square statistic: above this, F's class mix is not that of a random draw (p < 0.001). */
const CLUSTER_Z = 3.09;

/**
 * The kind of `forget` (sorted indices into a training split with `labels` over `k` classes): whole classes when
 * F holds every example of its classes; random when its class mix is that of a uniform draw (chi-square test,
 * p ≥ 0.001); otherwise a cluster (a sub-population whose class mix the proxy keeps).
 */
export function forgetShape(forget: Int32Array, labels: Int32Array, k: number): ForgetShape {
  const perClass = new Array<number>(k).fill(0);
  const inTrain = new Array<number>(k).fill(0);
  for (const i of forget) perClass[labels[i]]++;
  for (const c of labels) inTrain[c]++;
  const classes = perClass.flatMap((n, c) => (n > 0 ? [c] : []));
  const size = forget.length;
  if (classes.every((c) => perClass[c] === inTrain[c])) return { kind: 'class', size, classes, perClass };
  return { kind: classMixZ(perClass, inTrain) > CLUSTER_Z ? 'cluster' : 'random', size, classes, perClass };
}

/** Pearson's chi-square of F's class counts against the training split's shares, as a standard normal z. */
function classMixZ(perClass: number[], inTrain: number[]): number {
  const n = inTrain.reduce((a, b) => a + b, 0);
  const size = perClass.reduce((a, b) => a + b, 0);
  let chi2 = 0;
  let df = -1;
  inTrain.forEach((t, c) => {
    if (t === 0) return;
    const expected = (size * t) / n;
    chi2 += (perClass[c] - expected) ** 2 / expected;
    df++;
  });
  if (df < 1) return 0;
  const v = 2 / (9 * df);
  return (Math.cbrt(chi2 / df) - (1 - v)) / Math.sqrt(v);
}

/**
 * A proxy shaped like `shape`, drawn with `rng`; a forget set that cannot have one is refused in one message
 * (`what` names it: the file, or "the default proxy").
 */
export function drawProxy(shape: ForgetShape, forget: Int32Array, labels: Int32Array, rng: Rng, what: string): Int32Array {
  const n = labels.length;
  if (shape.size > n / 2) {
    throw new LetheError(`${what} holds ${shape.size} of ${n} training examples, more than half: no proxy of that size can be drawn beside it; calibrate with a smaller forget set`);
  }
  const outside = complementOf(forget, n);
  if (shape.kind === 'class') return otherClasses(shape, labels, rng, what);
  if (shape.kind === 'random') return sample(outside, shape.size, rng);
  return sameClassMix(shape, forget, outside, labels, rng);
}

/** As many whole classes as F forgets, none of F's, leaving at least two classes to train on. */
function otherClasses(shape: ForgetShape, labels: Int32Array, rng: Rng, what: string): Int32Array {
  const present = new Set(labels);
  const others = [...present].filter((c) => !shape.classes.includes(c)).sort((a, b) => a - b);
  const left = present.size - shape.classes.length;
  if (others.length < shape.classes.length || left < 2) {
    const forgets = `${shape.classes.length} whole class${shape.classes.length === 1 ? '' : 'es'} of ${present.size}`;
    throw new LetheError(
      `${what} forgets ${forgets}: its proxy would forget as many other classes and leave ${left} class${left === 1 ? '' : 'es'} to retrain the reference on; calibrating it needs at least ${Math.max(2 * shape.classes.length, shape.classes.length + 2)} classes`,
    );
  }
  const chosen = new Set(rng.shuffle([...others]).slice(0, shape.classes.length));
  const out: number[] = [];
  labels.forEach((c, i) => {
    if (chosen.has(c)) out.push(i);
  });
  return Int32Array.from(out);
}

/** F's count in every class, from the examples outside F, topped up from F only where a class has too few. */
function sameClassMix(shape: ForgetShape, forget: Int32Array, outside: Int32Array, labels: Int32Array, rng: Rng): Int32Array {
  const out: number[] = [];
  shape.perClass.forEach((count, c) => {
    if (count === 0) return;
    const pool = outside.filter((i) => labels[i] === c);
    const drawn = sample(pool, Math.min(count, pool.length), rng);
    const short = count - drawn.length;
    out.push(...drawn, ...(short > 0 ? sample(forget.filter((i) => labels[i] === c), short, rng) : []));
  });
  return Int32Array.from(out).sort();
}

/** `size` of `pool`, uniformly without replacement, sorted. */
function sample(pool: Int32Array, size: number, rng: Rng): Int32Array {
  const order = rng.permutation(pool.length);
  return Int32Array.from(order.subarray(0, size), (j) => pool[j]).sort();
}

/** The proxy's identity in the calibration file: sha256 of its sorted indices as little-endian int32. */
export function proxySha256(proxy: Int32Array): string {
  const bytes = new Uint8Array(proxy.length * 4);
  const view = new DataView(bytes.buffer);
  proxy.forEach((v, i) => view.setInt32(i * 4, v, true));
  return createHash('sha256').update(bytes).digest('hex');
}
