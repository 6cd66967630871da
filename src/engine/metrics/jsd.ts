/**
 * Jensen–Shannon divergence between two models' softmax outputs on the same examples (docs/methods.md §3.4).
 * Inputs are n × k probability matrices (rows sum to 1), natural logarithms throughout.
 */
import { checkSameShape } from './validate';

/** LoTUS tables print JSD and RF-JSD multiplied by this. */
export const LOTUS_TABLE_SCALE = 1e4;

/**
 * LoTUS-compatible JSD (their `JSDiv`), reproduced to compare with the paper's tables:
 * clamp every entry to [1e-8, 1], normalise each *whole matrix* to sum 1, M = (P + Q)/2, and return
 * ½[KL(M‖P) + KL(M‖Q)] / n: the KL direction is reversed from the textbook form and the result scales
 * like 1/n, so it is not comparable across forget-set sizes and not bounded by ln 2 / n.
 */
export function lotusJsd(p: Float64Array, q: Float64Array, k: number): number {
  const n = checkSameShape(p, q, k, 'JSD');
  const eps = 1e-8;
  const clamp = (v: number) => Math.min(Math.max(v, eps), 1);
  let sumP = 0, sumQ = 0;
  for (let i = 0; i < p.length; i++) {
    sumP += clamp(p[i]);
    sumQ += clamp(q[i]);
  }
  let klMP = 0, klMQ = 0;
  for (let i = 0; i < p.length; i++) {
    const a = clamp(p[i]) / sumP;
    const b = clamp(q[i]) / sumQ;
    const m = (a + b) / 2;
    klMP += m * Math.log(m / a);
    klMQ += m * Math.log(m / b);
  }
  return (0.5 * (klMP + klMQ)) / n;
}

/**
 * Textbook JSD averaged over examples: mean_i ½[KL(P_i‖M_i) + KL(Q_i‖M_i)] with M_i = (P_i + Q_i)/2.
 * Symmetric, in [0, ln 2], independent of n; zero-probability terms contribute 0.
 */
export function meanJsd(p: Float64Array, q: Float64Array, k: number): number {
  const n = checkSameShape(p, q, k, 'JSD');
  let total = 0;
  for (let i = 0; i < p.length; i++) {
    const m = (p[i] + q[i]) / 2;
    if (p[i] > 0) total += 0.5 * p[i] * Math.log(p[i] / m);
    if (q[i] > 0) total += 0.5 * q[i] * Math.log(q[i] / m);
  }
  return total / n;
}
