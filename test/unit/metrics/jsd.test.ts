import { describe, expect, it } from 'vitest';
import { lotusJsd, meanJsd, rfJsd, softmaxRows } from '../../../src/engine/metrics';
import { LetheError } from '../../../src/engine/util/errors';
import { Rng } from '../../../src/engine/util/rng';
import { syntheticSet } from './synthetic';

const P = Float64Array.from([0.5, 0.5]);
const Q = Float64Array.from([1, 0]);

describe('JSD', () => {
  it('standard per-example form: hand-computed', () => {
    // M = (0.75, 0.25). KL(P‖M) = 0.5 ln(0.5/0.75) + 0.5 ln(0.5/0.25) = −0.202733 + 0.346574 = 0.143841.
    // KL(Q‖M) = ln(1/0.75) = 0.287682. JSD = ½(0.143841 + 0.287682) = 0.215762.
    expect(meanJsd(P, Q, 2)).toBeCloseTo(0.215762, 6);
  });

  it('LoTUS form: hand-computed, reversed KL direction and 1e-8 clamp', () => {
    // Q clamps to (1, 1e-8), then ≈ (1, 1e-8) after normalising; M ≈ (0.75, 0.25).
    // KL(M‖P) = 0.75 ln 1.5 + 0.25 ln 0.5 = 0.304099 − 0.173287 = 0.130812.
    // KL(M‖Q) = 0.75 ln 0.75 + 0.25 ln(0.25 / 1e-8) = −0.215762 + 4.258597 = 4.042835.
    // JSD = ½(0.130812 + 4.042835) / 1 row = 2.086823: above ln 2, so the textbook bound does not hold here.
    expect(lotusJsd(P, Q, 2)).toBeCloseTo(2.086823, 5);
    expect(lotusJsd(P, Q, 2)).toBeGreaterThan(Math.LN2);
  });

  it('LoTUS form normalises the whole matrix, so it scales like 1 / rows', () => {
    const p2 = Float64Array.from([...P, ...P]);
    const q2 = Float64Array.from([...Q, ...Q]);
    expect(lotusJsd(p2, q2, 2)).toBeCloseTo(lotusJsd(P, Q, 2) / 2, 10);
    expect(meanJsd(p2, q2, 2)).toBeCloseTo(meanJsd(P, Q, 2), 12);
  });

  it('is zero on identical inputs, symmetric, and the standard form is within [0, ln 2]', () => {
    const rng = new Rng(20);
    const a = softmaxRows(syntheticSet(rng, 50, 5, 2).logits, 5);
    const b = softmaxRows(syntheticSet(rng, 50, 5, 2).logits, 5);
    for (const jsd of [lotusJsd, meanJsd]) {
      expect(jsd(a, a, 5)).toBeCloseTo(0, 14);
      expect(jsd(a, b, 5)).toBeCloseTo(jsd(b, a, 5), 14);
      expect(jsd(a, b, 5)).toBeGreaterThan(0);
    }
    expect(meanJsd(a, b, 5)).toBeLessThan(Math.LN2);
    // Disjoint one-hot rows reach the bound exactly.
    expect(meanJsd(Float64Array.from([1, 0, 0, 1]), Float64Array.from([0, 1, 1, 0]), 2)).toBeCloseTo(Math.LN2, 14);
  });

  it('rejects mismatched shapes', () => {
    expect(() => meanJsd(P, Float64Array.from([1, 0, 0, 1]), 2)).toThrow(/shapes differ/);
    expect(() => lotusJsd(new Float64Array(0), new Float64Array(0), 2)).toThrow(LetheError);
  });
});

describe('RF-JSD', () => {
  it('hand-computed: class means of the forget outputs vs the original on test', () => {
    // Forget (labels 0, 0, 1): class 0 mean (0.7, 0.3), class 1 (0.3, 0.7).
    // Test (labels 1, 1, 0, 2): class 0 (0.7, 0.3), class 1 mean of (0.4, 0.6), (0.6, 0.4) = (0.5, 0.5); class 2 is not in F and is ignored.
    // Whole-matrix normalisation (each sums to 2): P = (.35 .15 .15 .35), Q = (.35 .15 .25 .25), M = (.35 .15 .20 .30).
    // KL(M‖P) = .2 ln(.2/.15) + .3 ln(.3/.35) = 0.057536 − 0.046245 = 0.011291.
    // KL(M‖Q) = .2 ln(.2/.25) + .3 ln(.3/.25) = −0.044629 + 0.054697 = 0.010068.
    // RF-JSD = ½(0.011291 + 0.010068) / 2 classes = 0.0053397.
    const forget = { probs: Float64Array.from([0.8, 0.2, 0.6, 0.4, 0.3, 0.7]), labels: Int32Array.from([0, 0, 1]) };
    const test = { probs: Float64Array.from([0.4, 0.6, 0.6, 0.4, 0.7, 0.3, 0.1, 0.9]), labels: Int32Array.from([1, 1, 0, 2]) };
    expect(rfJsd(forget, test, 2)).toBeCloseTo(0.0053397, 6);
  });

  it('is small for a model that treats F like the original treats unseen data, larger for the memorising original', () => {
    const rng = new Rng(21);
    const k = 10;
    const originalTest = syntheticSet(rng, 2000, k, 3);
    const originalOnForget = syntheticSet(rng, 1000, k, 7); // memorised
    const retrainedOnForget = syntheticSet(rng, 1000, k, 3); // unseen-like
    const probs = (s: { logits: Float32Array; labels: Int32Array }) => ({ probs: softmaxRows(s.logits, k), labels: s.labels });
    const good = rfJsd(probs(retrainedOnForget), probs(originalTest), k);
    const memorised = rfJsd(probs(originalOnForget), probs(originalTest), k);
    expect(good).toBeLessThan(memorised / 10);
  });

  it('needs every forget class in the test set', () => {
    const forget = { probs: Float64Array.from([0.5, 0.5]), labels: Int32Array.from([1]) };
    const test = { probs: Float64Array.from([0.5, 0.5]), labels: Int32Array.from([0]) };
    expect(() => rfJsd(forget, test, 2)).toThrow(/class 1 occurs in the forget set but not in the test set/);
  });
});
