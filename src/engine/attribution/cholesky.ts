/**
 * Dense Cholesky factorisation A = L·Lᵀ of a symmetric positive-definite matrix, in float64, for the
 * TRAK kernel (ΦᵀΦ + λI) and the convex models' Hessians (k ≤ 4096: about 11 G multiply-adds at the top).
 * Matrices are row-major n × n; only the lower triangle of A is read.
 */
import { LetheError } from '../util/errors';

/** The lower-triangular factor L (upper triangle zero). Throws when A is not positive definite. */
export function cholesky(a: ArrayLike<number>, n: number, what = 'matrix'): Float64Array {
  if (a.length !== n * n) throw new LetheError(`${what} has ${a.length} entries, not ${n}×${n}`, undefined, 'cholesky');
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      let s = a[ri + j];
      // Rows i and j of L are contiguous: a dot product over their first j entries.
      for (let k = 0; k < j; k++) s -= l[ri + k] * l[rj + k];
      if (i === j) {
        if (!(s > 0)) {
          throw new LetheError(
            `${what} is not positive definite (pivot ${i} is ${s.toPrecision(3)}); increase the damping λ`,
            undefined,
            'cholesky',
          );
        }
        l[ri + i] = Math.sqrt(s);
      } else {
        l[ri + j] = s / l[rj + j];
      }
    }
  }
  return l;
}

/** Solve A·x = b in place for one right-hand side, given L. */
export function choleskySolve(l: Float64Array, n: number, b: Float64Array): Float64Array {
  if (b.length !== n) throw new LetheError(`right-hand side has ${b.length} entries, not ${n}`, undefined, 'cholesky');
  for (let i = 0; i < n; i++) {
    let s = b[i];
    const ri = i * n;
    for (let k = 0; k < i; k++) s -= l[ri + k] * b[k];
    b[i] = s / l[ri + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * b[k];
    b[i] = s / l[i * n + i];
  }
  return b;
}

/**
 * (L⁻¹)ᵀ, row-major: row j holds column j of L⁻¹ (zero before index j). Built by forward substitution on
 * L·x = e_j, so every inner loop runs along a row of L and a row of the result: memory is read contiguously.
 */
export function lowerInverseTransposed(l: Float64Array, n: number): Float64Array {
  const mt = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    mt[rj + j] = 1 / l[j * n + j];
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let s = 0;
      for (let k = j; k < i; k++) s -= l[ri + k] * mt[rj + k];
      mt[rj + i] = s / l[ri + i];
    }
  }
  return mt;
}

/** A⁻¹ = L⁻ᵀ·L⁻¹ (symmetric, full n × n), given L. */
export function choleskyInverse(l: Float64Array, n: number): Float64Array {
  const mt = lowerInverseTransposed(l, n);
  // (MᵀM)[i][j] = Σ_k M[k][i]·M[k][j] = row i of mt · row j of mt (both zero below their own index).
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      let s = 0;
      for (let k = i; k < n; k++) s += mt[ri + k] * mt[rj + k];
      inv[ri + j] = s;
      inv[rj + i] = s;
    }
  }
  return inv;
}
