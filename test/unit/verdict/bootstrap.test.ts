import { describe, expect, it } from 'vitest';
import { bootstrap, judgeRun, pooledMean } from '../../../src/engine/metrics/verdict';
import { K, ORIGINAL, REFERENCE, world } from './world';

describe('bootstrap over examples', () => {
  const values = Float64Array.from({ length: 200 }, (_, i) => (i % 4 === 0 ? 1 : 0));
  const mean = { share: (w: { a: Float64Array }) => pooledMean([{ values, weights: w.a }]) };

  it('returns the statistic on the data as observed and a spread that matches the standard error', () => {
    const { share } = bootstrap({ a: values.length }, mean, { resamples: 2000, seed: 3 });
    expect(share.observed).toBe(0.25);
    const m = share.resampled.reduce((s, v) => s + v, 0) / share.resampled.length;
    const sd = Math.sqrt(share.resampled.reduce((s, v) => s + (v - m) ** 2, 0) / (share.resampled.length - 1));
    expect(m).toBeCloseTo(0.25, 2);
    expect(sd).toBeCloseTo(Math.sqrt((0.25 * 0.75) / 200), 2);
  });

  it('is deterministic given the seed', () => {
    const a = bootstrap({ a: values.length }, mean, { resamples: 100, seed: 11 });
    const b = bootstrap({ a: values.length }, mean, { resamples: 100, seed: 11 });
    const c = bootstrap({ a: values.length }, mean, { resamples: 100, seed: 12 });
    expect(Array.from(b.share.resampled)).toEqual(Array.from(a.share.resampled));
    expect(Array.from(c.share.resampled)).not.toEqual(Array.from(a.share.resampled));
  });

  it('judges a run of 10,000 examples with the default 1,000 resamples', () => {
    const big = world({ forget: 1000, retain: 7000, test: 1000, validation: 1000 }, 5);
    const input = { k: K, labels: big.labels, models: { original: big.model(ORIGINAL), unlearned: big.model({ ...ORIGINAL, forget: 4 }) }, references: [big.model(REFERENCE)] };
    const result = judgeRun(input);
    expect(result?.verdict.noise.resamples).toBe(1000);
    expect(result?.verdict.forgetting.verdict).toBe('partly forgot');
  });
});
