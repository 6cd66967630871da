/** Small descriptive statistics with numpy's conventions, so summaries match the reference code. */
import { LetheError } from '../util/errors';
import type { Rng } from '../util/rng';

/**
 * q-th quantile (q in [0, 1]) with linear interpolation between order statistics (numpy's default);
 * NaN if any value is NaN, as numpy.percentile.
 */
export function quantile(values: ArrayLike<number>, q: number): number {
  if (values.length === 0) throw new LetheError('quantile of an empty set');
  if (!(q >= 0 && q <= 1)) throw new LetheError(`quantile ${q} is outside [0, 1]`);
  const sorted = Float64Array.from(values).sort();
  if (Number.isNaN(sorted[sorted.length - 1])) return NaN; // typed-array sort puts NaN last
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

export function mean(values: ArrayLike<number>): number {
  if (values.length === 0) throw new LetheError('mean of an empty set');
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return s / values.length;
}

/** Population standard deviation (ddof = 0, numpy's default). */
export function std(values: ArrayLike<number>): number {
  const m = mean(values);
  let s = 0;
  for (let i = 0; i < values.length; i++) s += (values[i] - m) ** 2;
  return Math.sqrt(s / values.length);
}

/**
 * `m` distinct indices of [0, n) drawn uniformly without replacement, sorted ascending.
 * All n indices (no randomness used) when m ≥ n, so small sets are never resampled.
 */
export function sampleIndices(n: number, m: number, rng: Rng): Int32Array {
  if (m >= n) return Int32Array.from({ length: n }, (_, i) => i);
  return rng.permutation(n).slice(0, m).sort();
}

/** The values at the given indices. */
export function pick(values: Float64Array, indices: Int32Array): Float64Array {
  const out = new Float64Array(indices.length);
  for (let i = 0; i < indices.length; i++) out[i] = values[indices[i]];
  return out;
}

/** a followed by b. */
export function concat(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
