/** Per-example quantities derived from logits: softmax, entropy, true-class confidence, margin. */
import { LetheError } from '../util/errors';
import { rowCount } from './validate';

/** Row-wise softmax of an n × k logit matrix, in float64 (max-shifted, so large logits do not overflow). */
export function softmaxRows(logits: Float32Array, k: number): Float64Array {
  const n = rowCount(logits, k, 'softmax');
  const out = new Float64Array(logits.length);
  for (let i = 0; i < n; i++) {
    const o = i * k;
    let max = -Infinity;
    for (let c = 0; c < k; c++) max = Math.max(max, logits[o + c]);
    let sum = 0;
    for (let c = 0; c < k; c++) sum += out[o + c] = Math.exp(logits[o + c] - max);
    for (let c = 0; c < k; c++) out[o + c] /= sum;
  }
  return out;
}

/** Shannon entropy −Σ p log p (nats) of every row of a probability matrix; 0·log 0 counts as 0. */
export function rowEntropies(probs: Float64Array, k: number): Float64Array {
  const n = rowCount(probs, k, 'entropy');
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let h = 0;
    for (let c = 0; c < k; c++) {
      const p = probs[i * k + c];
      if (p > 0) h -= p * Math.log(p);
    }
    out[i] = h;
  }
  return out;
}

/** p(y|x): the probability each row gives to its true label (the SVC-MIA "confidence" feature). */
export function trueClassProbabilities(probs: Float64Array, labels: Int32Array, k: number): Float64Array {
  const n = rowCount(probs, k, 'confidence');
  if (labels.length !== n) throw new LetheError(`${n} rows but ${labels.length} labels`, undefined, 'confidence');
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = probs[i * k + labels[i]];
  return out;
}

/**
 * Margin φ = f_y − log Σ_{k≠y} exp f_k for every row (DMM/KLoM). The log-sum-exp is shifted by the
 * largest competing logit, so it stays finite for any finite logits.
 */
export function margins(logits: Float32Array, labels: Int32Array, k: number): Float64Array {
  const n = rowCount(logits, k, 'margin');
  if (labels.length !== n) throw new LetheError(`${n} rows but ${labels.length} labels`, undefined, 'margin');
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * k;
    const y = labels[i];
    let max = -Infinity;
    for (let c = 0; c < k; c++) if (c !== y) max = Math.max(max, logits[o + c]);
    let sum = 0;
    for (let c = 0; c < k; c++) if (c !== y) sum += Math.exp(logits[o + c] - max);
    out[i] = logits[o + y] - (max + Math.log(sum));
  }
  return out;
}
