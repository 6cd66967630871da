import { describe, expect, it } from 'vitest';
import { margins, rowEntropies, softmaxRows, trueClassProbabilities } from '../../../src/engine/metrics';
import { LetheError } from '../../../src/engine/util/errors';

describe('softmax, entropy, confidence', () => {
  it('match hand-computed values', () => {
    // Row 0: logits (0, ln 3) → exp = (1, 3) → p = (0.25, 0.75).
    // Row 1: logits (2, 2) → p = (0.5, 0.5).
    const p = softmaxRows(Float32Array.from([0, Math.log(3), 2, 2]), 2);
    expect(Array.from(p)).toEqual([expect.closeTo(0.25, 7), expect.closeTo(0.75, 7), 0.5, 0.5]);
    // H(0.25, 0.75) = −(0.25 ln 0.25 + 0.75 ln 0.75) = 0.346574 + 0.215762 = 0.562335; H(0.5, 0.5) = ln 2.
    const h = rowEntropies(p, 2);
    expect(h[0]).toBeCloseTo(0.562335, 5);
    expect(h[1]).toBeCloseTo(Math.LN2, 12);
    // Confidence p(y|x) with labels (1, 0): 0.75 and 0.5.
    expect(Array.from(trueClassProbabilities(p, Int32Array.from([1, 0]), 2))).toEqual([expect.closeTo(0.75, 7), 0.5]);
  });

  it('stays finite for huge logits and treats 0·log 0 as 0', () => {
    const p = softmaxRows(Float32Array.from([1e30, 0, -1e30]), 3);
    expect(Array.from(p)).toEqual([1, 0, 0]);
    expect(rowEntropies(p, 3)[0]).toBe(0);
  });

  it('rejects a matrix whose length is not a multiple of the classes', () => {
    expect(() => softmaxRows(new Float32Array(5), 2)).toThrow(LetheError);
    expect(() => softmaxRows(new Float32Array(4), 1)).toThrow(/at least 2 classes/);
  });
});

describe('margins φ = f_y − logsumexp_{k≠y} f_k', () => {
  it('match hand-computed values', () => {
    // Row (1, 2, 3), y = 2: 3 − ln(e¹ + e²) = 3 − 2.313262 = 0.686738.
    // Row (0, 0), y = 0: 0 − ln(e⁰) = 0.
    const m = margins(Float32Array.from([1, 2, 3, 0, 0, 0]), Int32Array.from([2, 0]), 3);
    expect(m[0]).toBeCloseTo(3 - Math.log(Math.E + Math.E ** 2), 6);
    expect(m[1]).toBeCloseTo(-Math.log(2), 12); // (0,0,0), y = 0: 0 − ln(1 + 1)
  });

  it('is numerically stable where the naive formula overflows', () => {
    // f = (1000, 999, 999), y = 0: 1000 − (999 + ln 2); naive exp(999) is Infinity.
    const m = margins(Float32Array.from([1000, 999, 999]), Int32Array.from([0]), 3);
    expect(m[0]).toBeCloseTo(1 - Math.LN2, 10);
    const low = margins(Float32Array.from([-1000, -2000, -2000]), Int32Array.from([0]), 3);
    expect(low[0]).toBeCloseTo(1000 - Math.LN2, 8);
  });

  it('equals log-odds p_y / (1 − p_y)', () => {
    const logits = Float32Array.from([0.3, -1.2, 2.5, 0.7]);
    const p = softmaxRows(logits, 4);
    expect(margins(logits, Int32Array.from([3]), 4)[0]).toBeCloseTo(Math.log(p[3] / (1 - p[3])), 10);
  });
});
