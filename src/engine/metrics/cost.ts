/** Time and compute cost relative to retraining (docs/methods.md §3.7). */
import { LetheError } from '../util/errors';

/** LoTUS speed-up: reference (retrain) wall-clock time / unlearning time. */
export function speedup(referenceSeconds: number, methodSeconds: number): number {
  positive(referenceSeconds, 'reference time');
  positive(methodSeconds, 'method time');
  return referenceSeconds / methodSeconds;
}

/** Example-gradient evaluations of `epochs` passes over `examples` examples (fractional epochs allowed). */
export function exampleGradients(epochs: number, examples: number): number {
  if (!(epochs >= 0) || !(examples >= 0) || !Number.isFinite(epochs * examples)) {
    throw new LetheError(`epochs and examples must be non-negative, got ${epochs}, ${examples}`, undefined, 'cost');
  }
  return epochs * examples;
}

/**
 * EasyDUB/DMM relative cost: the method's example-gradient count as a fraction of the retrain's
 * (e.g. one epoch over 500 forget examples vs 24 epochs over 60,000 → 3.47e-4).
 */
export function costFraction(methodExampleGradients: number, referenceExampleGradients: number): number {
  positive(referenceExampleGradients, 'reference example-gradients');
  if (!(methodExampleGradients >= 0) || !Number.isFinite(methodExampleGradients)) {
    throw new LetheError(`method example-gradients must be non-negative, got ${methodExampleGradients}`, undefined, 'cost');
  }
  return methodExampleGradients / referenceExampleGradients;
}

function positive(v: number, what: string): void {
  if (!(v > 0) || !Number.isFinite(v)) throw new LetheError(`${what} must be a positive number, got ${v}`, undefined, 'cost');
}
