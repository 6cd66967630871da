/** Top-1 accuracy, overall and per class. */
import { checkLabelledLogits } from './validate';

/** Index of the largest logit in every row; the first one wins a tie (as torch.max / numpy argmax). */
export function predictedClasses(logits: Float32Array, k: number): Int32Array {
  const n = logits.length / k;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (logits[i * k + c] > logits[i * k + best]) best = c;
    out[i] = best;
  }
  return out;
}

/** Share of rows whose predicted class equals the label, in [0, 1]. */
export function accuracy(logits: Float32Array, labels: Int32Array, k: number, what = 'accuracy'): number {
  const n = checkLabelledLogits(logits, labels, k, what);
  const predicted = predictedClasses(logits, k);
  let correct = 0;
  for (let i = 0; i < n; i++) if (predicted[i] === labels[i]) correct++;
  return correct / n;
}

/** Accuracy restricted to each class in turn; null for a class with no examples in the set. */
export function perClassAccuracy(logits: Float32Array, labels: Int32Array, k: number, what = 'accuracy'): (number | null)[] {
  const n = checkLabelledLogits(logits, labels, k, what);
  const predicted = predictedClasses(logits, k);
  const total = new Array<number>(k).fill(0);
  const correct = new Array<number>(k).fill(0);
  for (let i = 0; i < n; i++) {
    total[labels[i]]++;
    if (predicted[i] === labels[i]) correct[labels[i]]++;
  }
  return total.map((t, c) => (t === 0 ? null : correct[c] / t));
}
