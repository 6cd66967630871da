import { describe, expect, it } from 'vitest';
import { cholesky, choleskyInverse, choleskySolve, lowerInverseTransposed } from '../../../src/engine/attribution/cholesky';
import { LetheError } from '../../../src/engine/util/errors';
import { Rng } from '../../../src/engine/util/rng';

/** A random SPD matrix BᵀB + εI with a spread of eigenvalues. */
function spd(n: number, rng: Rng, eps = 1e-3): Float64Array {
  const b = Float64Array.from({ length: n * n }, () => rng.normal());
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += b[k * n + i] * b[k * n + j];
    a[i * n + j] = s + (i === j ? eps : 0);
  }
  return a;
}

describe('cholesky', () => {
  const n = 40;
  const a = spd(n, new Rng(5));
  const l = cholesky(a, n);

  it('factors A = L·Lᵀ with L lower triangular', () => {
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) expect(l[i * n + j]).toBe(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += l[i * n + k] * l[j * n + k];
      expect(s).toBeCloseTo(a[i * n + j], 8);
    }
  });

  it('solves A·x = b and inverts A', () => {
    const rng = new Rng(9);
    const x = Float64Array.from({ length: n }, () => rng.normal());
    const b = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) b[i] += a[i * n + j] * x[j];
    const solved = choleskySolve(l, n, b);
    for (let i = 0; i < n; i++) expect(solved[i]).toBeCloseTo(x[i], 6);
    const inv = choleskyInverse(l, n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += a[i * n + k] * inv[k * n + j];
      expect(s).toBeCloseTo(i === j ? 1 : 0, 6);
      expect(inv[i * n + j]).toBe(inv[j * n + i]);
    }
  });

  it('inverts L: row j of the transposed inverse solves L·x = e_j', () => {
    const mt = lowerInverseTransposed(l, n);
    for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += l[i * n + k] * mt[j * n + k];
      expect(s).toBeCloseTo(i === j ? 1 : 0, 9);
    }
  });

  it('names the failing pivot for a matrix that is not positive definite', () => {
    const bad = Float64Array.from([4, 2, 2, 1]); // rank 1
    expect(() => cholesky(bad, 2, 'kernel')).toThrow(LetheError);
    expect(() => cholesky(bad, 2, 'kernel')).toThrow(/kernel is not positive definite \(pivot 1/);
    expect(() => cholesky(new Float64Array(3), 2)).toThrow(/3 entries, not 2×2/);
  });
});
