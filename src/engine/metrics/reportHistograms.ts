/** The report's overlaid histograms: margins, true-class confidence and per-example KLoM of every model on every set. */
import type { Histogram, ModelRole } from '../report/schema';
import { binCounts, linspace, sharedRange } from './histogram';
import { klomUpperBound, type KlomOptions } from './klom';
import type { Outputs } from './modelOutputs';
import { margins, trueClassProbabilities } from './probabilities';
import { ROLES, SPLITS, type Split } from './types';

/** Margin and confidence histograms; every role's histogram of one quantity on one set shares its edges. */
export function reportHistograms(outputs: Outputs, k: number, bins: number): Histogram[] {
  const histograms: Histogram[] = [];
  const marginClip = 100; // as KLoM: keeps one runaway logit from flattening every other bin
  for (const split of SPLITS) {
    const roles = ROLES.filter((role) => outputs[role]?.[split]);
    if (roles.length === 0) continue;
    const marginValues = roles.map((role) => {
      const s = outputs[role]![split]!;
      return margins(s.logits, s.labels, k).map((m) => Math.min(Math.max(m, -marginClip), marginClip));
    });
    const [lo, hi] = sharedRange(marginValues);
    const marginEdges = linspace(lo, hi > lo ? hi : lo + 1, bins + 1);
    const confidenceEdges = linspace(0, 1, bins + 1);
    roles.forEach((role, r) => {
      const s = outputs[role]![split]!;
      const confidence = trueClassProbabilities(s.probs, s.labels, k);
      histograms.push({ quantity: 'margin', split, role, edges: marginEdges, counts: binCounts(marginValues[r], marginEdges) });
      histograms.push({ quantity: 'confidence', split, role, edges: confidenceEdges, counts: binCounts(confidence, confidenceEdges) });
    });
  }
  return histograms;
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
