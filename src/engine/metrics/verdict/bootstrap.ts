/**
 * The bootstrap over examples behind every noise band of the verdict (docs/verdict.md, "Noise").
 * A resample draws each set's examples with replacement, independently per set, and hands the statistics
 * one weight per example (how often it was drawn), so a statistic is any function of weighted examples:
 * means, shares, differences of shares across sets, RF-JSD. Seeded, so the same inputs give the same bands.
 */
import { LetheError } from '../../util/errors';
import { Rng } from '../../util/rng';

/** How often each example of each set counts: 1 each for the data as observed, draw counts in a resample. */
export type Weights<Set extends string> = Record<Set, Float64Array>;

export type Statistic<Set extends string> = (weights: Weights<Set>) => number;

export interface BootstrapOptions {
  resamples: number;
  seed: number;
}

export interface Resampled {
  observed: number;
  /** The statistic on each resample, in draw order. */
  resampled: Float64Array;
}

/**
 * Every statistic on the observed data and on `resamples` resamples. All statistics see the same draws,
 * so differences between them (model A − model B on the same examples) are paired.
 */
export function bootstrap<Set extends string, Id extends string>(
  sizes: Record<Set, number>,
  statistics: Record<Id, Statistic<Set>>,
  options: BootstrapOptions,
): Record<Id, Resampled> {
  if (!Number.isInteger(options.resamples) || options.resamples < 2) {
    throw new LetheError(`needs at least 2 resamples, got ${options.resamples}`, undefined, 'verdict bootstrap');
  }
  const sets = (Object.keys(sizes) as Set[]).sort(); // a fixed order, so the seed alone fixes the draws
  const ids = Object.keys(statistics) as Id[];
  const ones = Object.fromEntries(sets.map((s) => [s, new Float64Array(sizes[s]).fill(1)])) as Weights<Set>;
  const out = Object.fromEntries(
    ids.map((id) => [id, { observed: statistics[id](ones), resampled: new Float64Array(options.resamples) }]),
  ) as Record<Id, Resampled>;
  const rng = new Rng(options.seed);
  const weights = Object.fromEntries(sets.map((s) => [s, new Float64Array(sizes[s])])) as Weights<Set>;
  for (let b = 0; b < options.resamples; b++) {
    for (const s of sets) drawCounts(weights[s], rng);
    for (const id of ids) out[id].resampled[b] = statistics[id](weights);
  }
  return out;
}

/** n draws with replacement from n examples, as counts per example. */
function drawCounts(counts: Float64Array, rng: Rng): void {
  const n = counts.length;
  counts.fill(0);
  for (let j = 0; j < n; j++) counts[rng.int(n)]++;
}

/** Examples of one set for a pooled mean: their values, weights and, optionally, which of them count. */
export interface Part {
  values: Float64Array;
  weights: Float64Array;
  mask?: Uint8Array;
}

/** Weighted mean of the values over every part together (0/1 values give a share); NaN if no kept example is drawn. */
export function pooledMean(parts: Part[]): number {
  let sum = 0, total = 0;
  for (const { values, weights, mask } of parts) {
    // Two loops rather than one with a branch per example: this is the bootstrap's inner loop.
    if (mask) {
      for (let i = 0; i < values.length; i++) if (mask[i]) (sum += weights[i] * values[i]), (total += weights[i]);
    } else {
      for (let i = 0; i < values.length; i++) (sum += weights[i] * values[i]), (total += weights[i]);
    }
  }
  return sum / total;
}
