/** RF-JSD, LoTUS's retrain-free JSD (methods.md §3.5). */
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
  const forgetMeans = classMeans(forget.probs, forget.labels, k, 'RF-JSD forget set');
  const testMeans = classMeans(originalTest.probs, originalTest.labels, k, 'RF-JSD test set');
  const classes = [...forgetMeans.keys()].sort((a, b) => a - b);
  const p = new Float64Array(classes.length * k);
  const q = new Float64Array(classes.length * k);
  classes.forEach((c, row) => {
    const t = testMeans.get(c);
    if (!t) throw new LetheError(`class ${c} occurs in the forget set but not in the test set`, undefined, 'RF-JSD');
    p.set(forgetMeans.get(c)!, row * k);
    q.set(t, row * k);
  });
  return lotusJsd(p, q, k);
}

/** Mean probability vector of every class present, renormalised to sum 1. */
function classMeans(probs: Float64Array, labels: Int32Array, k: number, what: string): Map<number, Float64Array> {
  const n = rowCount(probs, k, what);
  if (n === 0) throw new LetheError('the set is empty', undefined, what);
  if (labels.length !== n) throw new LetheError(`${n} rows but ${labels.length} labels`, undefined, what);
  const sums = new Map<number, Float64Array>();
  for (let i = 0; i < n; i++) {
    let s = sums.get(labels[i]);
    if (!s) sums.set(labels[i], (s = new Float64Array(k)));
    for (let c = 0; c < k; c++) s[c] += probs[i * k + c];
  }
  for (const s of sums.values()) {
    const total = s.reduce((a, b) => a + b, 0);
    for (let c = 0; c < k; c++) s[c] /= total;
  }
  return sums;
}
