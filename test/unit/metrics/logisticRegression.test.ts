import { describe, expect, it } from 'vitest';
import { balancedWeight, fitBalancedLogistic, predictsPositive } from '../../../src/engine/metrics';
import { LetheError } from '../../../src/engine/util/errors';
import { Rng } from '../../../src/engine/util/rng';

function gaussians(rng: Rng, nPos: number, muPos: number, nNeg: number, muNeg: number) {
  const x = Float64Array.from({ length: nPos + nNeg }, (_, i) => (i < nPos ? muPos : muNeg) + rng.normal());
  const y = Uint8Array.from({ length: nPos + nNeg }, (_, i) => (i < nPos ? 1 : 0));
  return { x, y };
}

/** The objective written out independently: Σ sᵢ log(1 + e^{−ỹᵢ zᵢ}) + w²/(4C), sᵢ = n / (2 n_class). */
function objective(x: Float64Array, y: Uint8Array, b: number, w: number, C: number): number {
  const nPos = y.reduce((a, v) => a + v, 0);
  let j = (w * w) / (4 * C);
  for (let i = 0; i < x.length; i++) {
    const s = x.length / (2 * (y[i] ? nPos : x.length - nPos));
    const z = w * x[i] + b;
    j += s * Math.log(1 + Math.exp(y[i] ? -z : z));
  }
  return j;
}

describe('class-balanced logistic regression', () => {
  it("uses sklearn's balanced weight n / (2 n_c)", () => {
    expect(balancedWeight(1000, 900)).toBeCloseTo(0.5556, 4);
    expect(balancedWeight(1000, 100)).toBe(5);
  });

  it('reaches a stationary point of the written-out objective', () => {
    const { x, y } = gaussians(new Rng(1), 300, 0.5, 120, 1.5);
    const C = 0.7;
    const m = fitBalancedLogistic(x, y, { C });
    const h = 1e-5;
    const db = (objective(x, y, m.intercept + h, m.coef, C) - objective(x, y, m.intercept - h, m.coef, C)) / (2 * h);
    const dw = (objective(x, y, m.intercept, m.coef + h, C) - objective(x, y, m.intercept, m.coef - h, C)) / (2 * h);
    expect(Math.abs(db)).toBeLessThan(1e-5);
    expect(Math.abs(dw)).toBeLessThan(1e-5);
    expect(m.coef).toBeLessThan(0); // positives have the lower feature
  });

  it('balancing puts the threshold at the midpoint of two equal-variance classes despite 9:1 imbalance', () => {
    // Unweighted, the Bayes threshold would move by ln(9)/Δμ ≈ 1.1 towards the minority class.
    const { x, y } = gaussians(new Rng(2), 9000, 0, 1000, 2);
    const m = fitBalancedLogistic(x, y);
    expect(-m.intercept / m.coef).toBeCloseTo(1, 1);
  });

  it('weights whole classes: repeating the minority 9× gives the same fit once C absorbs the total weight', () => {
    // A: 900 vs 100, per-class total weight 1000/2 = 500. B: 900 vs 100×9, per-class total 1800/2 = 900.
    // Same objective up to the factor 900/500 when C_B = C_A · 500/900.
    const a = gaussians(new Rng(3), 900, 0, 100, 1.5);
    const bx = new Float64Array(1800);
    const by = new Uint8Array(1800);
    bx.set(a.x.subarray(0, 900));
    by.fill(1, 0, 900);
    for (let r = 0; r < 9; r++) bx.set(a.x.subarray(900), 900 + r * 100);
    const fitA = fitBalancedLogistic(a.x, a.y, { C: 1 });
    const fitB = fitBalancedLogistic(bx, by, { C: 500 / 900 });
    expect(fitB.coef).toBeCloseTo(fitA.coef, 7);
    expect(fitB.intercept).toBeCloseTo(fitA.intercept, 7);
  });

  it('separates perfectly separable data', () => {
    const x = Float64Array.from([0, 0.05, 0.1, 1, 1.5, 2]);
    const y = Uint8Array.from([1, 1, 1, 0, 0, 0]);
    const m = fitBalancedLogistic(x, y);
    expect(Array.from(x, (v) => predictsPositive(m, v))).toEqual([true, true, true, false, false, false]);
  });

  it('rejects a single class and a non-positive C', () => {
    expect(() => fitBalancedLogistic(Float64Array.from([1, 2]), Uint8Array.from([1, 1]))).toThrow(/both classes/);
    expect(() => fitBalancedLogistic(Float64Array.from([1, 2]), Uint8Array.from([1, 0]), { C: 0 })).toThrow(LetheError);
  });
});
