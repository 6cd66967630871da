/**
 * Class-balanced L2 logistic regression on one scalar feature, solved exactly by damped Newton steps.
 * It reproduces sklearn's LogisticRegression(class_weight="balanced", multi_class="multinomial", C)
 * as used by the entropy MIA: with two classes the multinomial fit is a binary fit of the logit
 * difference Δ = w₁ − w₀ whose penalty ½(‖w₀‖² + ‖w₁‖²)/C becomes Δ²/(4C) at the optimum (w₁ = −w₀).
 * The intercept is not penalised (sklearn's lbfgs solver does not penalise it either).
 */
import { LetheError } from '../util/errors';

export interface LogisticModel {
  /** Weight of the feature in the member-vs-non-member logit. */
  coef: number;
  intercept: number;
  /** Newton iterations used. */
  iterations: number;
}

export interface LogisticOptions {
  /** Inverse regularisation strength, sklearn's C (default 1). */
  C?: number;
}

/** Weight of one example of a class with `classCount` of `total` examples: sklearn's n / (2 · n_c). */
export function balancedWeight(total: number, classCount: number): number {
  return total / (2 * classCount);
}

/** Fits the balanced model; `positive[i]` is 1 for the positive class (members), 0 otherwise. */
export function fitBalancedLogistic(x: Float64Array, positive: Uint8Array, options: LogisticOptions = {}): LogisticModel {
  const C = options.C ?? 1;
  if (!(C > 0)) throw new LetheError(`C must be positive, got ${C}`, undefined, 'logistic regression');
  const n = x.length;
  if (positive.length !== n) throw new LetheError(`${n} features but ${positive.length} labels`, undefined, 'logistic regression');
  let nPos = 0;
  for (let i = 0; i < n; i++) nPos += positive[i];
  if (nPos === 0 || nPos === n) throw new LetheError('needs examples of both classes', undefined, 'logistic regression');
  const weight = [balancedWeight(n, n - nPos), balancedWeight(n, nPos)];
  const penalty = 1 / (2 * C); // second derivative of Δ²/(4C)

  const objective = (b: number, w: number): number => {
    let j = (penalty / 2) * w * w;
    for (let i = 0; i < n; i++) {
      const z = w * x[i] + b;
      j += weight[positive[i]] * softplus(positive[i] ? -z : z);
    }
    return j;
  };

  let b = 0;
  let w = 0;
  let current = objective(b, w);
  let iterations = 0;
  for (; iterations < 100; iterations++) {
    let gb = 0, gw = penalty * w, hbb = 0, hbw = 0, hww = penalty;
    for (let i = 0; i < n; i++) {
      const s = weight[positive[i]];
      const p = sigmoid(w * x[i] + b);
      const r = s * (p - positive[i]);
      const h = s * p * (1 - p);
      gb += r;
      gw += r * x[i];
      hbb += h;
      hbw += h * x[i];
      hww += h * x[i] * x[i];
    }
    if (Math.max(Math.abs(gb), Math.abs(gw)) < 1e-10 * n) break;
    const det = hbb * hww - hbw * hbw;
    // Newton direction −H⁻¹g (H is positive definite: hww ≥ penalty > 0 and Cauchy–Schwarz).
    const db = -(hww * gb - hbw * gw) / det;
    const dw = -(hbb * gw - hbw * gb) / det;
    let step = 1;
    let next = objective(b + db, w + dw);
    while (next > current && step > 1e-12) {
      step /= 2;
      next = objective(b + step * db, w + step * dw);
    }
    if (next > current) break; // no descent left at machine precision
    b += step * db;
    w += step * dw;
    const improvement = current - next;
    current = next;
    if (improvement <= 1e-15 * Math.max(1, Math.abs(current))) break;
  }
  return { coef: w, intercept: b, iterations };
}

/** Predicted positive when the logit is > 0 (a tie goes to the negative class, as sklearn's argmax). */
export function predictsPositive(model: LogisticModel, x: number): boolean {
  return model.coef * x + model.intercept > 0;
}

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** log(1 + e^z) without overflow. */
function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}
