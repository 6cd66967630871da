/** The report's overlaid histograms: margins, true-class confidence and per-example KLoM of every model on every set. */
import type { Histogram, ModelRole } from '../contracts/report';
import { binCounts, linspace, sharedRange } from './histogram';
import { klomUpperBound, type KlomOptions } from './klom';
import type { Outputs } from './modelOutputs';
import { margins, trueClassProbabilities } from './probabilities';
import { ROLES, SPLITS, type Split } from './types';

/**
 * Margin and confidence histograms of every model on every set. All histograms of one quantity share their
 * edges, so any of them overlay: models on one set, or sets of one model.
 */
export function reportHistograms(outputs: Outputs, k: number, bins: number): Histogram[] {
  const marginClip = 100; // as KLoM: keeps one runaway logit from flattening every other bin
  const sets = SPLITS.flatMap((split) =>
    ROLES.filter((role) => outputs[role]?.[split]).map((role) => {
      const { logits, labels, probs } = outputs[role]![split]!;
      return {
        role,
        split,
        margin: margins(logits, labels, k).map((m) => Math.min(Math.max(m, -marginClip), marginClip)),
        confidence: trueClassProbabilities(probs, labels, k),
      };
    }),
  );
  if (sets.length === 0) return [];
  const [lo, hi] = sharedRange(sets.map((s) => s.margin));
  const marginEdges = linspace(lo, hi > lo ? hi : lo + 1, bins + 1);
  const confidenceEdges = linspace(0, 1, bins + 1);
  return sets.flatMap(({ role, split, margin, confidence }) => [
    { quantity: 'margin', split, role, edges: marginEdges, counts: binCounts(margin, marginEdges) },
    { quantity: 'confidence', split, role, edges: confidenceEdges, counts: binCounts(confidence, confidenceEdges) },
  ]);
}

/** Per-example KLoM of one kind of model on one set. */
export interface KlomValues {
  role: ModelRole;
  split: Split;
  values: Float64Array;
}

/** Distribution of per-example KLoM, on fixed edges from 0 to KLoM's upper bound so every role overlays. */
export function klomHistograms(perExample: KlomValues[], bins: number, options: KlomOptions = {}): Histogram[] {
  const edges = linspace(0, klomUpperBound(options), bins + 1);
  return perExample.map(({ role, split, values }) => ({ quantity: 'klom', split, role, edges, counts: binCounts(values, edges) }));
}
