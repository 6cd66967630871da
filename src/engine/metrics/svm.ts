/**
 * Binary C-SVC with an RBF kernel, trained by SMO with libsvm's second-order working-set selection
 * (Fan, Chen & Lin 2005) and libsvm's stopping rule and bias, so it matches sklearn's SVC(kernel="rbf").
 * No pure-JS SVM package is maintained; libsvm-js is an unmaintained emscripten build.
 * Kernel rows are computed on the fly (O(n·d) per iteration, no n² cache), so callers keep n to a few thousand.
 */
import { LetheError } from '../util/errors';

export interface SvmOptions {
  /** Box constraint (sklearn C). */
  C: number;
  /** RBF width: K(a, b) = exp(−γ‖a − b‖²). sklearn's gamma="auto" is 1 / (number of features). */
  gamma: number;
  /** Stopping tolerance on the maximal KKT violation (libsvm's eps, sklearn's tol; default 1e-3). */
  tol?: number;
  /** Iteration cap (default max(10⁶, 100·n)); `converged` reports whether the tolerance was reached. */
  maxIterations?: number;
}

export interface RbfSvm {
  /** Support vectors, row-major, `dims` features each. */
  supportVectors: Float64Array;
  dims: number;
  /** αᵢ·yᵢ of each support vector. */
  dualCoef: Float64Array;
  /** Decision value is Σ αᵢyᵢ K(xᵢ, x) − rho. */
  rho: number;
  gamma: number;
  iterations: number;
  converged: boolean;
}

const TAU = 1e-12;

/** Trains on n examples of `dims` features (row-major); `positive[i]` = 1 for class +1, 0 for class −1. */
export function trainRbfSvm(x: Float64Array, dims: number, positive: Uint8Array, options: SvmOptions): RbfSvm {
  const n = positive.length;
  if (x.length !== n * dims) throw new LetheError(`${x.length} feature values for ${n} examples of ${dims} features`, undefined, 'SVM');
  const { C, gamma } = options;
  if (!(C > 0) || !(gamma > 0)) throw new LetheError(`C and gamma must be positive, got ${C}, ${gamma}`, undefined, 'SVM');
  const y = Int8Array.from(positive, (p) => (p ? 1 : -1));
  if (!y.includes(1) || !y.includes(-1)) throw new LetheError('needs examples of both classes', undefined, 'SVM');
  const tol = options.tol ?? 1e-3;
  const maxIterations = options.maxIterations ?? Math.max(1_000_000, 100 * n);

  const kernelRow = (i: number, out: Float64Array): Float64Array => {
    for (let t = 0; t < n; t++) out[t] = rbf(x, i * dims, x, t * dims, dims, gamma);
    return out;
  };
  const alpha = new Float64Array(n);
  const grad = new Float64Array(n).fill(-1); // ∇ of ½αᵀQα − eᵀα at α = 0, Q_ij = y_i y_j K_ij
  const rowI = new Float64Array(n);
  const rowJ = new Float64Array(n);
  const isUpper = (t: number) => alpha[t] >= C;
  const isLower = (t: number) => alpha[t] <= 0;

  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    // Working set: i maximises −y∇f over I_up; j gives the largest second-order decrease over I_low.
    let gMax = -Infinity, gMax2 = -Infinity, i = -1, j = -1, bestObj = Infinity;
    for (let t = 0; t < n; t++) {
      if (y[t] === 1 ? !isUpper(t) : !isLower(t)) {
        const v = -y[t] * grad[t];
        if (v >= gMax) { gMax = v; i = t; }
      }
    }
    if (i < 0) { converged = true; break; }
    kernelRow(i, rowI);
    for (let t = 0; t < n; t++) {
      if (y[t] === 1 ? isLower(t) : isUpper(t)) continue;
      const v = y[t] * grad[t];
      if (v >= gMax2) gMax2 = v;
      const diff = gMax + v;
      if (diff > 0) {
        const quad = 2 - 2 * rowI[t]; // K_ii + K_tt − 2K_it with K_ii = 1
        const obj = -(diff * diff) / (quad > 0 ? quad : TAU);
        if (obj <= bestObj) { bestObj = obj; j = t; }
      }
    }
    if (gMax + gMax2 < tol || j < 0) { converged = true; break; }
    iterations++;
    kernelRow(j, rowJ);

    const oldI = alpha[i], oldJ = alpha[j];
    const qIJ = y[i] * y[j] * rowI[j];
    if (y[i] !== y[j]) {
      const quad = Math.max(2 + 2 * qIJ, TAU);
      const delta = (-grad[i] - grad[j]) / quad;
      const diff = alpha[i] - alpha[j];
      alpha[i] += delta;
      alpha[j] += delta;
      if (diff > 0) { if (alpha[j] < 0) { alpha[j] = 0; alpha[i] = diff; } }
      else if (alpha[i] < 0) { alpha[i] = 0; alpha[j] = -diff; }
      if (diff > 0) { if (alpha[i] > C) { alpha[i] = C; alpha[j] = C - diff; } }
      else if (alpha[j] > C) { alpha[j] = C; alpha[i] = C + diff; }
    } else {
      const quad = Math.max(2 - 2 * qIJ, TAU);
      const delta = (grad[i] - grad[j]) / quad;
      const sum = alpha[i] + alpha[j];
      alpha[i] -= delta;
      alpha[j] += delta;
      if (sum > C) { if (alpha[i] > C) { alpha[i] = C; alpha[j] = sum - C; } }
      else if (alpha[j] < 0) { alpha[j] = 0; alpha[i] = sum; }
      if (sum > C) { if (alpha[j] > C) { alpha[j] = C; alpha[i] = sum - C; } }
      else if (alpha[i] < 0) { alpha[i] = 0; alpha[j] = sum; }
    }
    const dI = alpha[i] - oldI, dJ = alpha[j] - oldJ;
    for (let t = 0; t < n; t++) grad[t] += y[t] * (y[i] * rowI[t] * dI + y[j] * rowJ[t] * dJ);
  }

  return { ...supportVectorsOf(x, dims, y, alpha), rho: rhoOf(y, alpha, grad, C), gamma, iterations, converged };
}

/** Decision values Σ αᵢyᵢ K(xᵢ, x) − rho for m examples (row-major); positive means class +1. */
export function svmDecisionValues(model: RbfSvm, x: Float64Array): Float64Array {
  const { dims, supportVectors, dualCoef, gamma, rho } = model;
  if (x.length % dims !== 0) throw new LetheError(`${x.length} values are not rows of ${dims} features`, undefined, 'SVM');
  const m = x.length / dims;
  const out = new Float64Array(m);
  for (let r = 0; r < m; r++) {
    let s = -rho;
    for (let v = 0; v < dualCoef.length; v++) s += dualCoef[v] * rbf(supportVectors, v * dims, x, r * dims, dims, gamma);
    out[r] = s;
  }
  return out;
}

function rbf(a: Float64Array, ao: number, b: Float64Array, bo: number, dims: number, gamma: number): number {
  let d2 = 0;
  for (let f = 0; f < dims; f++) d2 += (a[ao + f] - b[bo + f]) ** 2;
  return Math.exp(-gamma * d2);
}

function supportVectorsOf(x: Float64Array, dims: number, y: Int8Array, alpha: Float64Array) {
  const idx: number[] = [];
  for (let t = 0; t < alpha.length; t++) if (alpha[t] > 0) idx.push(t);
  const supportVectors = new Float64Array(idx.length * dims);
  const dualCoef = new Float64Array(idx.length);
  idx.forEach((t, v) => {
    supportVectors.set(x.subarray(t * dims, (t + 1) * dims), v * dims);
    dualCoef[v] = y[t] * alpha[t];
  });
  return { supportVectors, dims, dualCoef };
}

/** libsvm's rho: the mean of y∇f over free vectors, or the middle of the feasible interval if none is free. */
function rhoOf(y: Int8Array, alpha: Float64Array, grad: Float64Array, C: number): number {
  let ub = Infinity, lb = -Infinity, sumFree = 0, nFree = 0;
  for (let t = 0; t < y.length; t++) {
    const yG = y[t] * grad[t];
    if (alpha[t] >= C) {
      if (y[t] === -1) ub = Math.min(ub, yG); else lb = Math.max(lb, yG);
    } else if (alpha[t] <= 0) {
      if (y[t] === 1) ub = Math.min(ub, yG); else lb = Math.max(lb, yG);
    } else {
      nFree++;
      sumFree += yG;
    }
  }
  return nFree > 0 ? sumFree / nFree : (ub + lb) / 2;
}
