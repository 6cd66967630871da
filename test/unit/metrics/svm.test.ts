import { describe, expect, it } from 'vitest';
import { svmDecisionValues, trainRbfSvm } from '../../../src/engine/metrics';
import { LetheError } from '../../../src/engine/util/errors';
import { Rng } from '../../../src/engine/util/rng';

const e1 = Math.exp(-1);

describe('RBF SVC (SMO)', () => {
  it('two points: α = 1 / (1 − e^{−1}) when C is large enough', () => {
    // x = 0 (+1), x = 1 (−1), γ = 1. By symmetry α₁ = α₂ = α and rho = 0; the margin condition
    // f(0) = α(K(0,0) − K(1,0)) = α(1 − e^{−1}) = 1 gives α = 1.581977 < C = 3.
    const svm = trainRbfSvm(Float64Array.from([0, 1]), 1, Uint8Array.from([1, 0]), { C: 3, gamma: 1 });
    const alpha = 1 / (1 - e1);
    expect(Array.from(svm.dualCoef)).toEqual([expect.closeTo(alpha, 9), expect.closeTo(-alpha, 9)]);
    expect(svm.rho).toBeCloseTo(0, 12);
    const d = svmDecisionValues(svm, Float64Array.from([0, 1, 0.5]));
    expect(Array.from(d)).toEqual([expect.closeTo(1, 9), expect.closeTo(-1, 9), expect.closeTo(0, 12)]);
  });

  it('two points with C = 1: both at the bound, decision (1 − e^{−1}) at the positive point', () => {
    const svm = trainRbfSvm(Float64Array.from([0, 1]), 1, Uint8Array.from([1, 0]), { C: 1, gamma: 1 });
    expect(Array.from(svm.dualCoef)).toEqual([1, -1]);
    expect(svmDecisionValues(svm, Float64Array.from([0]))[0]).toBeCloseTo(1 - e1, 12);
  });

  it('XOR in two dimensions: equal α = 1 / (1 + e^{−2} − 2e^{−1})', () => {
    // (0,0), (1,1) positive; (0,1), (1,0) negative. f(0,0) = α(1 + e^{−2} − 2e^{−1}) = 1 → α = 2.50265
    // (a tight tolerance: the default 1e-3 stops about 1e-3 short).
    const x = Float64Array.from([0, 0, 1, 1, 0, 1, 1, 0]);
    const svm = trainRbfSvm(x, 2, Uint8Array.from([1, 1, 0, 0]), { C: 3, gamma: 1, tol: 1e-10 });
    const alpha = 1 / (1 + Math.exp(-2) - 2 * e1);
    expect(Array.from(svm.dualCoef, Math.abs)).toEqual(Array(4).fill(expect.closeTo(alpha, 6)));
    const d = svmDecisionValues(svm, x);
    expect(Array.from(d, Math.sign)).toEqual([1, 1, -1, -1]);
  });

  it('satisfies the KKT conditions on separable random data', () => {
    const rng = new Rng(4);
    const n = 200;
    const x = Float64Array.from({ length: n }, (_, i) => (i < n / 2 ? -1.5 : 1.5) + 0.4 * rng.normal());
    const y = Uint8Array.from({ length: n }, (_, i) => (i < n / 2 ? 1 : 0));
    const tol = 1e-3;
    const svm = trainRbfSvm(x, 1, y, { C: 1000, gamma: 1, tol });
    expect(svm.converged).toBe(true);
    // Σ αᵢyᵢ = 0, and every training point is on the right side with functional margin ≥ 1 − tol.
    expect(svm.dualCoef.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 9);
    const d = svmDecisionValues(svm, x);
    for (let i = 0; i < n; i++) expect((y[i] ? 1 : -1) * d[i]).toBeGreaterThan(1 - tol);
    // Support vectors sit on the margin.
    for (const sv of svmDecisionValues(svm, svm.supportVectors)) expect(Math.abs(Math.abs(sv) - 1)).toBeLessThan(tol);
  });

  it('rejects bad input', () => {
    expect(() => trainRbfSvm(Float64Array.from([0, 1]), 1, Uint8Array.from([1, 1]), { C: 1, gamma: 1 })).toThrow(/both classes/);
    expect(() => trainRbfSvm(Float64Array.from([0, 1, 2]), 2, Uint8Array.from([1, 0]), { C: 1, gamma: 1 })).toThrow(LetheError);
    expect(() => trainRbfSvm(Float64Array.from([0, 1]), 1, Uint8Array.from([1, 0]), { C: 0, gamma: 1 })).toThrow(/positive/);
  });
});
