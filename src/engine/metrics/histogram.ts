/** Equal-width histograms with explicit edges, shared by KLoM and the report's overlaid charts. */
import { LetheError } from '../util/errors';

/** `count` evenly spaced edges from start to stop, computed as numpy.linspace does (last edge exactly stop). */
export function linspace(start: number, stop: number, count: number): number[] {
  if (!Number.isInteger(count) || count < 2) throw new LetheError(`needs at least 2 edges, got ${count}`, undefined, 'histogram');
  const step = (stop - start) / (count - 1);
  const edges = Array.from({ length: count }, (_, i) => start + i * step);
  edges[count - 1] = stop;
  return edges;
}

/**
 * Counts per bin [e_i, e_{i+1}). With `closedLast` (the usual histogram) the last bin also holds values equal
 * to the last edge; without it those values fall outside every bin, reproducing numpy.digitize-based code.
 * Values below the first edge or above the last are not counted.
 */
export function binCounts(values: ArrayLike<number>, edges: number[], closedLast = true): number[] {
  const bins = edges.length - 1;
  const counts = new Array<number>(bins).fill(0);
  const last = edges[bins];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < edges[0] || v > last) continue;
    if (v === last) {
      if (closedLast) counts[bins - 1]++;
      continue;
    }
    // Largest b with edges[b] ≤ v (binary search; matches digitize's comparisons exactly).
    let lo = 0, hi = bins - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (edges[mid] <= v) lo = mid;
      else hi = mid - 1;
    }
    counts[lo]++;
  }
  return counts;
}

/** Smallest and largest value over several arrays, so histograms of different models can share edges. */
export function sharedRange(arrays: ArrayLike<number>[]): [number, number] {
  let min = Infinity, max = -Infinity;
  for (const a of arrays) for (let i = 0; i < a.length; i++) {
    min = Math.min(min, a[i]);
    max = Math.max(max, a[i]);
  }
  if (min > max) throw new LetheError('no values to histogram', undefined, 'histogram');
  return [min, max];
}
