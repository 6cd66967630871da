/** Metrics for forgetting whole classes, as reported by the mnemonic-code paper (docs/methods.md §3.8). */
import { LetheError } from '../util/errors';
import { predictedClasses } from './accuracy';
import { checkLabelledLogits } from './validate';

/** Classes forgotten whole: they occur in the forget set and nowhere in the retain set. */
export function forgottenClasses(forgetLabels: Int32Array, retainLabels: Int32Array): number[] {
  const retained = new Set(retainLabels);
  return [...new Set(forgetLabels)].filter((c) => !retained.has(c)).sort((a, b) => a - b);
}

/**
 * Top-1 accuracy over the examples whose label is (`inside` = true) or is not (false) one of `classes`;
 * null when no example qualifies.
 */
export function accuracyOnClasses(
  logits: Float32Array,
  labels: Int32Array,
  k: number,
  classes: number[],
  inside: boolean,
): number | null {
  const n = checkLabelledLogits(logits, labels, k, 'class accuracy');
  const chosen = new Set(classes);
  const predicted = predictedClasses(logits, k);
  let total = 0, correct = 0;
  for (let i = 0; i < n; i++) {
    if (chosen.has(labels[i]) !== inside) continue;
    total++;
    if (predicted[i] === labels[i]) correct++;
  }
  return total === 0 ? null : correct / total;
}

/**
 * Forgetting efficacy E_F in percent: 100 · (1 − acc_after / acc_before) on the forgotten classes' test
 * examples, so 100 = nothing of the class is recognised any more and 0 = as before. This is our reading of
 * the mnemonic-code paper; its exact normalisation is unverified (docs/methods.md §3.8).
 */
export function forgettingEfficacy(accuracyBefore: number, accuracyAfter: number): number {
  if (!(accuracyBefore > 0 && accuracyBefore <= 1) || !(accuracyAfter >= 0 && accuracyAfter <= 1)) {
    throw new LetheError(`needs accuracies in (0, 1] and [0, 1], got ${accuracyBefore} and ${accuracyAfter}`, undefined, 'forgetting efficacy');
  }
  return 100 * (1 - accuracyAfter / accuracyBefore);
}
