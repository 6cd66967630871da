import { describe, expect, it } from 'vitest';
import { klomOfSamples, klomPerExample, klomUpperBound, marginEnsemble, margins, summariseKlom, type MarginEnsemble } from '../../../src/engine/metrics';
import { LetheError } from '../../../src/engine/util/errors';
import { Rng } from '../../../src/engine/util/rng';

describe('KLoM of one example', () => {
  it('hand-computed, both directions', () => {
    // 2 bins over [0, 1]: unlearned (0,0,1,1) → p = (.5, .5); oracle (0,1,1,1) → q = (.25, .75).
    // KL(p‖q) = .5 ln 2 + .5 ln(2/3) = 0.346574 − 0.202733 = 0.143841.
    // KL(q‖p) = .25 ln .5 + .75 ln 1.5 = −0.173287 + 0.304099 = 0.130812.
    const u = [0, 0, 1, 1], o = [0, 1, 1, 1];
    expect(klomOfSamples(u, o, { bins: 2 })).toBeCloseTo(0.143841, 6);
    expect(klomOfSamples(u, o, { bins: 2, direction: 'oracle‖unlearned' })).toBeCloseTo(0.130812, 6);
  });

  it('floors empty oracle bins at ε and renormalises (scipy.stats.entropy)', () => {
    // p = (.75, .25), q = (0, 1) → q floored (1e-5, 1), sum 1.00001.
    // KL = .75 ln(.75·1.00001 / 1e-5) + .25 ln(.25·1.00001) = 8.418940 − 0.346571 = 8.072369.
    const expected = 0.75 * Math.log((0.75 * 1.00001) / 1e-5) + 0.25 * Math.log(0.25 * 1.00001);
    expect(klomOfSamples([0, 0, 0, 1], [1, 1, 1, 1], { bins: 2 })).toBeCloseTo(expected, 9);
    expect(expected).toBeCloseTo(8.072369, 5);
  });

  it('disjoint supports reach the bound ln((1 + ε)/ε) ≈ 11.513', () => {
    const k = klomOfSamples([0, 0, 0], [5, 5, 5]);
    expect(k).toBeCloseTo(Math.log((1 + 1e-5) / 1e-5), 9);
    expect(k).toBeLessThanOrEqual(klomUpperBound());
    expect(klomUpperBound()).toBeCloseTo(Math.log((1 + 20e-5) / 1e-5), 14);
  });

  it('identical samples give 0 in every binning and direction; flooring every bin leaves only ln(1 + ε·empty bins)', () => {
    const rng = new Rng(30);
    const s = Array.from({ length: 50 }, () => rng.normal());
    for (const binning of ['closed', 'dmm', 'easydub'] as const) {
      for (const direction of ['unlearned‖oracle', 'oracle‖unlearned'] as const) {
        expect(klomOfSamples(s, s, { binning, direction })).toBeCloseTo(0, 12);
        // Flooring empty bins of q (which p leaves empty too) only renormalises q: KL = ln(1 + m·ε), m ≤ 20 empty bins.
        const floored = klomOfSamples(s, s, { binning, direction, floor: 'every-bin' });
        expect(floored).toBeGreaterThanOrEqual(0);
        expect(floored).toBeLessThanOrEqual(Math.log(1 + 20e-5));
      }
    }
    // With 4 distinct values in 20 closed bins, 16 bins are empty: ln(1 + 16ε).
    expect(klomOfSamples([0, 1, 2, 3], [0, 1, 2, 3], { floor: 'every-bin' })).toBeCloseTo(Math.log(1 + 16e-5), 12);
    expect(klomOfSamples([3, 3], [3, 3])).toBe(0); // zero-width range
  });

  it('reproduces the reference quirks: the maximum drops out, DMM has 19 bins plus an always-empty one', () => {
    // u = (0,0,2), o = (0,2,2), range [0, 2].
    // closed, 2 bins [0,1) [1,2]: p = (2/3, 1/3), q = (1/3, 2/3) → KL = 2/3 ln 2 − 1/3 ln 2 = ln2 / 3 = 0.231049.
    const u = [0, 0, 2], o = [0, 2, 2];
    expect(klomOfSamples(u, o, { bins: 2 })).toBeCloseTo(Math.LN2 / 3, 12);
    // easydub, 2 bins: the 2s (the maximum) fall outside: p = (1, 0), q = (1, 0) → 0.
    expect(klomOfSamples(u, o, { bins: 2, binning: 'easydub' })).toBeCloseTo(0, 12);
    // dmm with bins = 3: 3 edges → 2 real bins + digitize's index-0 bin; flooring every bin gives
    // q = (ε, 1, ε) / (1 + 2ε), p = (0, 1, 0) → KL = ln(1 + 2ε) ≈ 2e-5.
    expect(klomOfSamples(u, o, { bins: 3, binning: 'dmm', floor: 'every-bin' })).toBeCloseTo(Math.log(1 + 2e-5), 12);
    expect(klomOfSamples(u, o, { bins: 3, binning: 'dmm' })).toBeCloseTo(0, 12);
  });

  it('clips margins to ±100 before binning', () => {
    // Clipped, 1e6 and 100 are the same value, so both sides are identical.
    expect(klomOfSamples([1e6, 0], [100, 0])).toBe(0);
    expect(klomOfSamples([1e6, 0], [100, 0], { clip: 1e7 })).toBeGreaterThan(1);
  });

  it('rejects bad options and empty samples', () => {
    expect(() => klomOfSamples([], [1])).toThrow(LetheError);
    expect(() => klomOfSamples([1], [1], { epsilon: 0 })).toThrow(/epsilon/);
    expect(() => klomOfSamples([1], [1], { bins: 0 })).toThrow(/bins/);
  });
});

describe('KLoM over examples', () => {
  it('builds ensembles model-major from logits and scores every example', () => {
    const labels = Int32Array.from([0, 1]);
    const m1 = Float32Array.from([2, 0, 0, 1]);
    const m2 = Float32Array.from([1, 0, 0, 3]);
    const ens = marginEnsemble([m1, m2], labels, 2);
    // Margins with two classes are f_y − f_other: model 1 → (2, 1), model 2 → (1, 3).
    expect(Array.from(ens.margins)).toEqual([2, 1, 1, 3]);
    expect(Array.from(margins(m2, labels, 2))).toEqual([1, 3]);
    const other: MarginEnsemble = { models: 2, examples: 2, margins: Float64Array.from([2, 3, 2, 3]) };
    const per = klomPerExample(ens, other, { bins: 2 });
    expect(per[0]).toBeCloseTo(klomOfSamples([2, 1], [2, 2], { bins: 2 }), 14);
    expect(per[1]).toBeCloseTo(klomOfSamples([1, 3], [3, 3], { bins: 2 }), 14);
    expect(() => klomPerExample(ens, { models: 1, examples: 3, margins: new Float64Array(3) })).toThrow(/cover 2 and 3 examples/);
    expect(() => klomPerExample(ens, { models: 2, examples: 2, margins: new Float64Array(3) })).toThrow(/3 margins for 2 models × 2 examples/);
    expect(() => klomPerExample(ens, { models: 1, examples: 2, margins: Float64Array.from([0, NaN]) })).toThrow(/model 0 on example 1 is NaN/);
  });

  it('summary uses numpy percentiles and the population std', () => {
    // 0..10: p95 at position 9.5 → 9.5; p99 at 9.9 → 9.9; mean 5; variance (Σ (i−5)²)/11 = 110/11 = 10.
    const s = summariseKlom(Float64Array.from({ length: 11 }, (_, i) => i));
    expect(s.p95).toBeCloseTo(9.5, 12);
    expect(s.p99).toBeCloseTo(9.9, 12);
    expect(s.mean).toBe(5);
    expect(s.std).toBeCloseTo(Math.sqrt(10), 12);
  });

  /** N models' margins on n examples, example i ~ N(centre_i + shift, 1). */
  function ensemble(rng: Rng, models: number, centres: Float64Array, shift: number): MarginEnsemble {
    const n = centres.length;
    return { models, examples: n, margins: Float64Array.from({ length: models * n }, (_, j) => centres[j % n] + shift + rng.normal()) };
  }

  it('do nothing ≫ unaffected points; the oracle-vs-oracle floor falls as N grows', () => {
    const rng = new Rng(31);
    const centres = Float64Array.from({ length: 200 }, () => 3 * rng.normal());
    const oracle = ensemble(rng, 50, centres, 0);
    const doNothingOnForget = ensemble(rng, 50, centres, 6); // memorised: margins far higher than the oracles'
    const unaffected = ensemble(rng, 50, centres, 0);
    const forget95 = summariseKlom(klomPerExample(doNothingOnForget, oracle)).p95;
    const valid95 = summariseKlom(klomPerExample(unaffected, oracle)).p95;
    expect(forget95).toBeGreaterThan(9);
    expect(forget95).toBeLessThanOrEqual(klomUpperBound());
    expect(valid95).toBeLessThan(forget95 / 5);

    const floor = (n: number) => summariseKlom(klomPerExample(ensemble(rng, n, centres, 0), ensemble(rng, n, centres, 0))).p95;
    const [f10, f100, f400] = [floor(10), floor(100), floor(400)];
    expect(f100).toBeLessThan(f10);
    expect(f400).toBeLessThan(f100);
  });
});
