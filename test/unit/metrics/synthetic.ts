/** Seeded synthetic logits for metric tests: a model that is confident on its true class to a chosen degree. */
import { Rng } from '../../../src/engine/util/rng';

export interface SyntheticSet {
  logits: Float32Array;
  labels: Int32Array;
}

/**
 * n examples over k classes (labels cycle through the classes); the true-class logit gets `signal`
 * on top of standard normal noise of scale `noise`, so larger signal = more confident and more accurate.
 */
export function syntheticSet(rng: Rng, n: number, k: number, signal: number, noise = 1): SyntheticSet {
  const logits = new Float32Array(n * k);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % k;
    for (let c = 0; c < k; c++) logits[i * k + c] = noise * rng.normal() + (c === labels[i] ? signal : 0);
  }
  return { logits, labels };
}
