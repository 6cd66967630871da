/**
 * Exact attributions for a convex model, the ground truth the approximate methods are tested against
 * (docs/methods.md §2.2.3 "cheap alternatives", §6.3.2): L2-regularised multinomial logistic regression, fitted by
 * Newton's method to a gradient norm of ~1e-10, in float64 and pure TypeScript.
 *
 * Objective (a sum, as in Guo et al. 2020's certified removal, so removing examples does not rescale the
 * regulariser):  J_S(W) = Σ_{i∈S} CE(W·a_i, y_i) + (λ/2)‖W‖²,  a_i = [x_i; 1],  W ∈ ℝ^{K×(d+1)}.
 * The bias is regularised too: without it the softmax is invariant to adding a constant to every bias and
 * the Hessian is singular.
 *
 * With g_i = ∇CE_i = (p_i − e_{y_i}) ⊗ a_i and H = ∇²J_D(W₀), removing a set F moves the optimum to
 * W_{D∖F} ≈ W₀ + H⁻¹ Σ_{i∈F} g_i (one Newton step on J_{D∖F} from W₀, whose gradient there is −Σ_F g_i).
 * So the influence of including i on the class-k logit of x is
 *   β[i, x, k] = f_k(x; W₀) − f_k(x; W_{D∖{i}}) ≈ −(e_k ⊗ a_x)ᵀ H⁻¹ g_i,
 * the per-class datamodel weight DM-Direct subtracts (docs/methods.md §2.2.2).
 */
import { LetheError } from '../util/errors';
import { cholesky, choleskySolve } from './cholesky';

export interface ConvexData {
  /** n × d features, row-major. */
  x: Float32Array | Float64Array;
  y: Int32Array;
  n: number;
  d: number;
  classes: number;
}

export interface SoftmaxRegression {
  d: number;
  classes: number;
  /** λ of the objective. */
  l2: number;
  /** K × (d+1) weights, row-major; column d is the bias. */
  w: Float64Array;
}

export interface FitOptions {
  l2: number;
  /** Examples the objective sums over (default: all). */
  indices?: Int32Array;
  /** Starting point (a warm start reaches the same unique optimum faster). */
  init?: Float64Array;
  /** Stop when ‖∇J‖₂ ≤ tol (default 1e-10·max(1, n)). */
  tol?: number;
  maxIter?: number;
}

const WHERE = 'softmax regression';

export const paramCount = (m: { d: number; classes: number }): number => m.classes * (m.d + 1);

function checkData(data: ConvexData): void {
  const { x, y, n, d, classes } = data;
  if (x.length !== n * d) throw new LetheError(`features hold ${x.length} values, not ${n} × ${d}`, undefined, WHERE);
  if (y.length !== n) throw new LetheError(`${y.length} labels for ${n} examples`, undefined, WHERE);
  for (let i = 0; i < n; i++) {
    if (!(y[i] >= 0 && y[i] < classes)) throw new LetheError(`label ${y[i]} of example ${i} is outside 0..${classes - 1}`, undefined, WHERE);
  }
}

function norm(v: Float64Array): number {
  let s = 0;
  for (const x of v) s += x * x;
  return Math.sqrt(s);
}

const allIndices = (n: number): Int32Array => Int32Array.from({ length: n }, (_, i) => i);

/** Logits W·a and probabilities softmax(W·a) of example i (into the given buffers). */
function forward(w: Float64Array, data: ConvexData, i: number, logits: Float64Array, probs: Float64Array): void {
  const { x, d, classes: K } = data;
  const D = d + 1;
  let max = -Infinity;
  for (let k = 0; k < K; k++) {
    let s = w[k * D + d];
    for (let j = 0; j < d; j++) s += w[k * D + j] * x[i * d + j];
    logits[k] = s;
    if (s > max) max = s;
  }
  let z = 0;
  for (let k = 0; k < K; k++) z += probs[k] = Math.exp(logits[k] - max);
  for (let k = 0; k < K; k++) probs[k] /= z;
}

/** J_S(W), ∇J_S(W), and optionally ∇²J_S(W) (P × P, P = K(d+1)). */
function objective(w: Float64Array, data: ConvexData, indices: Int32Array, l2: number, withHessian: boolean) {
  const { x, y, d, classes: K } = data;
  const D = d + 1;
  const P = K * D;
  const grad = new Float64Array(P);
  const hess = withHessian ? new Float64Array(P * P) : undefined;
  const logits = new Float64Array(K);
  const p = new Float64Array(K);
  const a = new Float64Array(D);
  let value = 0;
  for (const i of indices) {
    forward(w, data, i, logits, p);
    value -= Math.log(Math.max(p[y[i]], 1e-300));
    for (let j = 0; j < d; j++) a[j] = x[i * d + j];
    a[d] = 1;
    for (let k = 0; k < K; k++) {
      const r = p[k] - (k === y[i] ? 1 : 0);
      for (let j = 0; j < D; j++) grad[k * D + j] += r * a[j];
    }
    if (hess) {
      // (diag p − p pᵀ) ⊗ a aᵀ, lower triangle only (mirrored below).
      for (let k1 = 0; k1 < K; k1++) {
        for (let k2 = 0; k2 <= k1; k2++) {
          const c = (k1 === k2 ? p[k1] : 0) - p[k1] * p[k2];
          if (c === 0) continue;
          for (let j1 = 0; j1 < D; j1++) {
            const row = (k1 * D + j1) * P + k2 * D;
            const ca = c * a[j1];
            for (let j2 = 0; j2 < D; j2++) hess[row + j2] += ca * a[j2];
          }
        }
      }
    }
  }
  let sq = 0;
  for (let q = 0; q < P; q++) {
    sq += w[q] * w[q];
    grad[q] += l2 * w[q];
  }
  value += 0.5 * l2 * sq;
  if (hess) {
    for (let r = 0; r < P; r++) {
      hess[r * P + r] += l2;
      for (let c = r + 1; c < P; c++) hess[r * P + c] = hess[c * P + r];
    }
  }
  return { value, grad, hess };
}

/** Newton's method with backtracking to the unique optimum of J_S. */
export function fitSoftmaxRegression(data: ConvexData, opts: FitOptions): SoftmaxRegression {
  checkData(data);
  const { d, classes } = data;
  if (!(opts.l2 > 0)) throw new LetheError(`l2 = ${opts.l2} must be > 0 (it makes the optimum unique)`, undefined, WHERE);
  const indices = opts.indices ?? allIndices(data.n);
  const P = classes * (d + 1);
  const w = opts.init ? Float64Array.from(opts.init) : new Float64Array(P);
  if (w.length !== P) throw new LetheError(`initial weights hold ${w.length} values, not ${P}`, undefined, WHERE);
  const tol = opts.tol ?? 1e-10 * Math.max(1, indices.length);
  const maxIter = opts.maxIter ?? 100;
  for (let it = 0; it < maxIter; it++) {
    const { value, grad, hess } = objective(w, data, indices, opts.l2, true);
    const gnorm = norm(grad);
    if (gnorm <= tol) return { d, classes, l2: opts.l2, w };
    const step = choleskySolve(cholesky(hess!, P, 'Hessian'), P, Float64Array.from(grad));
    let t = 1;
    const trial = new Float64Array(P);
    let decrease = 0;
    for (let q = 0; q < P; q++) decrease += grad[q] * step[q];
    // Newton decrement at the rounding level of the objective: the optimum is reached to float64 precision
    // (the gradient norm can stall just above `tol` there, and no line search could make progress).
    if (decrease <= 1e-14 * Math.max(1, Math.abs(value))) {
      for (let q = 0; q < P; q++) w[q] -= step[q];
      return { d, classes, l2: opts.l2, w };
    }
    for (;;) {
      for (let q = 0; q < P; q++) trial[q] = w[q] - t * step[q];
      const next = objective(trial, data, indices, opts.l2, false).value;
      if (next <= value - 1e-4 * t * decrease || t < 1e-10) break;
      t /= 2;
    }
    w.set(trial);
  }
  const gnorm = norm(objective(w, data, indices, opts.l2, false).grad);
  if (gnorm > tol) throw new LetheError(`Newton's method did not converge in ${maxIter} iterations (‖∇J‖ = ${gnorm.toExponential(2)})`, undefined, WHERE);
  return { d, classes, l2: opts.l2, w };
}

/** Logits (n × K) of the given examples (default: all). */
export function softmaxLogits(model: SoftmaxRegression, data: ConvexData, indices = allIndices(data.n)): Float64Array {
  const K = model.classes;
  const out = new Float64Array(indices.length * K);
  const logits = new Float64Array(K);
  const p = new Float64Array(K);
  indices.forEach((i, r) => {
    forward(model.w, data, i, logits, p);
    out.set(logits, r * K);
  });
  return out;
}

/** ∇²J_S(W) at the model's weights, over the given examples (default: all). */
export function softmaxHessian(model: SoftmaxRegression, data: ConvexData, indices = allIndices(data.n)): Float64Array {
  return objective(model.w, data, indices, model.l2, true).hess!;
}

/** Per-example loss gradients g_i = (p_i − e_{y_i}) ⊗ a_i, count × P (the layout of W). */
export function softmaxLossGradients(model: SoftmaxRegression, data: ConvexData, indices: Int32Array): Float64Array {
  const { d, classes: K } = model;
  const D = d + 1;
  const P = K * D;
  const out = new Float64Array(indices.length * P);
  const logits = new Float64Array(K);
  const p = new Float64Array(K);
  indices.forEach((i, r) => {
    forward(model.w, data, i, logits, p);
    for (let k = 0; k < K; k++) {
      const res = p[k] - (k === data.y[i] ? 1 : 0);
      for (let j = 0; j < d; j++) out[r * P + k * D + j] = res * data.x[i * d + j];
      out[r * P + k * D + d] = res;
    }
  });
  return out;
}

/** Exact leave-subset-out retraining: the optimum of J over all examples but `remove`, warm-started at the model. */
export function retrainWithout(model: SoftmaxRegression, data: ConvexData, remove: ArrayLike<number>): SoftmaxRegression {
  const drop = new Set(Array.from(remove));
  const keep = Int32Array.from(allIndices(data.n).filter((i) => !drop.has(i)));
  return fitSoftmaxRegression(data, { l2: model.l2, indices: keep, init: model.w });
}

/**
 * Influence-function attributions β[r, x, k] (rows × targets × K) of training examples `rows` on the class-k
 * logits of evaluation points `targets` of `evalData`, with H the Hessian over the whole training set.
 */
export function influenceAttributions(
  model: SoftmaxRegression,
  train: ConvexData,
  rows: Int32Array,
  evalData: ConvexData,
  targets = allIndices(evalData.n),
): Float32Array {
  const { d, classes: K } = model;
  const D = d + 1;
  const P = K * D;
  const L = cholesky(softmaxHessian(model, train), P, 'Hessian');
  const g = softmaxLossGradients(model, train, rows);
  const T = targets.length;
  const out = new Float32Array(rows.length * T * K);
  for (let r = 0; r < rows.length; r++) {
    const v = choleskySolve(L, P, g.slice(r * P, (r + 1) * P)); // H⁻¹ g_i
    for (let t = 0; t < T; t++) {
      const xi = targets[t] * evalData.d;
      for (let k = 0; k < K; k++) {
        let s = v[k * D + d];
        for (let j = 0; j < d; j++) s += v[k * D + j] * evalData.x[xi + j];
        out[(r * T + t) * K + k] = -s;
      }
    }
  }
  return out;
}

/**
 * One Newton step towards the retrain: W₀ + H_{D∖F}(W₀)⁻¹ Σ_{i∈F} g_i (Guo et al. 2020 with a sum objective;
 * exact up to second order in the removed examples).
 */
export function newtonRemoval(model: SoftmaxRegression, data: ConvexData, remove: Int32Array): SoftmaxRegression {
  const P = paramCount(model);
  const drop = new Set(Array.from(remove));
  const keep = Int32Array.from(allIndices(data.n).filter((i) => !drop.has(i)));
  const g = softmaxLossGradients(model, data, remove);
  const sum = new Float64Array(P);
  for (let r = 0; r < remove.length; r++) for (let q = 0; q < P; q++) sum[q] += g[r * P + q];
  const step = choleskySolve(cholesky(softmaxHessian(model, data, keep), P, 'Hessian'), P, sum);
  const w = Float64Array.from(model.w, (v, q) => v + step[q]);
  return { ...model, w };
}
