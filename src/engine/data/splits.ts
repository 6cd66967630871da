/** Subsets, seeded splits and the batch gatherer the trainer calls in its hot loop. */
import { Rng } from '../util/rng';
import type { Dataset } from './types';

/** Number of values in one example. */
export function featureCount(ds: Dataset): number {
  return ds.exampleShape.reduce((p, d) => p * d, 1);
}

/** A new dataset holding copies of the given examples, in the given order. */
export function subset(ds: Dataset, indices: ArrayLike<number>): Dataset {
  const features = featureCount(ds);
  const n = indices.length;
  const x = new Float32Array(n * features);
  const y = new Int32Array(n);
  const ids = new Array<string>(n);
  for (let k = 0; k < n; k++) {
    const i = indices[k];
    checkIndex(ds, i);
    x.set(ds.x.subarray(i * features, (i + 1) * features), k * features);
    y[k] = ds.y[i];
    ids[k] = ds.ids[i];
  }
  return { ...ds, x, y, n, ids };
}

function checkIndex(ds: Dataset, i: number): void {
  if (!Number.isInteger(i) || i < 0 || i >= ds.n) throw new RangeError(`example index ${i} is outside [0, ${ds.n})`);
}

/** Splits `indices` at random (seeded) into `a` with round(fraction × n) of them and `b` with the rest; both sorted. */
export function seededSplit(indices: ArrayLike<number>, fraction: number, seed: number): { a: Int32Array; b: Int32Array } {
  if (!(fraction >= 0 && fraction <= 1)) throw new RangeError(`split fraction ${fraction} is outside [0, 1]`);
  const shuffled = new Rng(seed).shuffle(Int32Array.from(indices));
  const cut = Math.round(fraction * shuffled.length);
  return { a: shuffled.slice(0, cut).sort(), b: shuffled.slice(cut).sort() };
}

/**
 * The LoTUS random forget set: for each class, the first floor(fraction × class size) of its examples in file
 * order (Python's int() truncation, as the reference code). Sorted.
 */
export function firstFractionPerClass(ds: Dataset, fraction: number): Int32Array {
  if (!(fraction >= 0 && fraction <= 1)) throw new RangeError(`fraction ${fraction} is outside [0, 1]`);
  const perClass = new Int32Array(ds.classNames.length);
  for (let i = 0; i < ds.n; i++) perClass[ds.y[i]]++;
  const quota = perClass.map((count) => Math.floor(fraction * count));
  const out: number[] = [];
  for (let i = 0; i < ds.n; i++) {
    const c = ds.y[i];
    if (quota[c] > 0) {
      quota[c]--;
      out.push(i);
    }
  }
  return Int32Array.from(out);
}

/** Indices of every example whose class is in `classes`, in file order. */
export function classIndices(ds: Dataset, classes: ArrayLike<number>): Int32Array {
  const wanted = new Uint8Array(ds.classNames.length);
  for (let k = 0; k < classes.length; k++) wanted[classes[k]] = 1;
  const out: number[] = [];
  for (let i = 0; i < ds.n; i++) if (wanted[ds.y[i]]) out.push(i);
  return Int32Array.from(out);
}

/** The indices in [0, n) that are not in `sorted` (sorted, unique). */
export function complementOf(sorted: Int32Array, n: number): Int32Array {
  const out = new Int32Array(n - sorted.length);
  let k = 0;
  let j = 0;
  for (let i = 0; i < n; i++) {
    if (j < sorted.length && sorted[j] === i) j++;
    else out[k++] = i;
  }
  return out;
}

/**
 * Copies examples indices[start .. start+size) (fewer at the end) into xOut / yOut and returns how many it copied.
 * Allocates nothing: the trainer calls it once per step with reused buffers.
 */
export function gatherBatch(ds: Dataset, indices: ArrayLike<number>, start: number, size: number, xOut: Float32Array, yOut: Int32Array): number {
  const features = featureCount(ds);
  const rows = Math.max(0, Math.min(size, indices.length - start));
  if (xOut.length < rows * features || yOut.length < rows) {
    throw new RangeError(`batch buffers hold ${yOut.length} labels / ${xOut.length} values, need ${rows} / ${rows * features}`);
  }
  const x = ds.x;
  for (let r = 0; r < rows; r++) {
    const i = indices[start + r];
    if (!(i >= 0 && i < ds.n) || (i | 0) !== i) checkIndex(ds, i);
    const from = i * features;
    const to = r * features;
    for (let j = 0; j < features; j++) xOut[to + j] = x[from + j];
    yOut[r] = ds.y[i];
  }
  return rows;
}
