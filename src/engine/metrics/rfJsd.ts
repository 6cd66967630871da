/** RF-JSD, LoTUS's retrain-free JSD (docs/methods.md §3.5). */
import { LetheError } from '../util/errors';
import { lotusJsd } from './jsd';
import { rowCount } from './validate';

/**
 * For each class c present in the forget set: P_c = mean softmax of the evaluated model over forget
 * examples of class c, Q_c = mean softmax of the *original* model over test examples of class c, each
 * renormalised to sum 1; stacked in class order and compared with the LoTUS JSD (÷ number of classes).
 * Intuition: after unlearning, forget examples should look like unseen examples of their class did to the original.
 */
export function rfJsd(
  forget: { probs: Float64Array; labels: Int32Array },
  originalTest: { probs: Float64Array; labels: Int32Array },
  k: number,
): number {
  return rfJsdAgainst(originalTest, k)(forget);
}

/**
 * RF-JSD with the original's test side computed once, for many forget-side evaluations: the verdict's
 * bootstrap passes `weights` (how often each forget example counts) on every resample.
 */
export function rfJsdAgainst(
  originalTest: { probs: Float64Array; labels: Int32Array },
  k: number,
): (forget: { probs: Float64Array; labels: Int32Array }, weights?: Float64Array) => number {
  const test = classMeans(originalTest.probs, originalTest.labels, k, 'RF-JSD test set');
  return (forget, weights) => {
    const means = classMeans(forget.probs, forget.labels, k, 'RF-JSD forget set', weights);
    const classes: number[] = [];
    for (let c = 0; c < k; c++) if (means.present[c]) classes.push(c);
    const p = new Float64Array(classes.length * k);
    const q = new Float64Array(classes.length * k);
    classes.forEach((c, row) => {
      if (!test.present[c]) throw new LetheError(`class ${c} occurs in the forget set but not in the test set`, undefined, 'RF-JSD');
      p.set(means.rows.subarray(c * k, (c + 1) * k), row * k);
      q.set(test.rows.subarray(c * k, (c + 1) * k), row * k);
    });
    return lotusJsd(p, q, k);
  };
}

/**
 * (Weighted) mean probability vector of every class, renormalised to sum 1: row c of `rows` (k × k),
 * meaningful where `present[c]`. Flat arrays, as the bootstrap calls this once per resample.
 */
function classMeans(probs: Float64Array, labels: Int32Array, k: number, what: string, weights?: Float64Array): { rows: Float64Array; present: Uint8Array } {
  const n = rowCount(probs, k, what);
  if (n === 0) throw new LetheError('the set is empty', undefined, what);
  if (labels.length !== n) throw new LetheError(`${n} rows but ${labels.length} labels`, undefined, what);
  const rows = new Float64Array(k * k);
  const present = new Uint8Array(k);
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i] : 1;
    if (w === 0) continue; // a class drawn zero times is absent, as if the set did not hold it
    const o = labels[i] * k;
    present[labels[i]] = 1;
    for (let c = 0; c < k; c++) rows[o + c] += w * probs[i * k + c];
  }
  for (let r = 0; r < k; r++) {
    if (!present[r]) continue;
    let total = 0;
    for (let c = 0; c < k; c++) total += rows[r * k + c];
    for (let c = 0; c < k; c++) rows[r * k + c] /= total;
  }
  return { rows, present };
}
