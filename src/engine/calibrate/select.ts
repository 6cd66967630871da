/**
 * Choosing from trial results (docs/calibration.md, "Selection"): per method its best trial, the best method over
 * all, and the Pareto front of forget quality against utility and cost. Pure, and blind to wall time (which differs
 * between runs), so a merge of shards reaches the same choice as one run over the same trials.
 */
import type { Calibrated, CalibrationFile, Trial } from '../contracts/calibration';

type Judged = Trial & Required<Pick<Trial, 'forgetting' | 'forgetAccuracy' | 'gap' | 'gapBands'>>;

const judged = (t: Trial): t is Judged => t.error === undefined && t.forgetting !== undefined && t.gapBands !== undefined;

/** 0: forgot with utility kept; 1: utility kept; 2: the rest (utility lost). */
function tier(t: Judged): number {
  if (t.utility === 'lost') return 2;
  return t.forgetting === 'forgot' ? 0 : 1;
}

/**
 * The selection order: forgot and kept first, then utility kept; within a tier the smallest |gap| in noise bands,
 * then the cheapest (fewest example gradients), then the earlier in the plan (nearer the base setting).
 */
export function better(a: Judged, b: Judged): number {
  return tier(a) - tier(b) || Math.abs(a.gapBands) - Math.abs(b.gapBands) || a.exampleGradients - b.exampleGradients || rank(a.id) - rank(b.id) || (a.id < b.id ? -1 : 1);
}

/** `del/4` → 4: a trial's rank in its method's grid, base first. */
const rank = (id: string) => Number(id.slice(id.lastIndexOf('/') + 1));

/** Per method (in `methods` order), its best trial; methods whose trials all failed are left out. */
export function calibrated(trials: Trial[], methods: string[]): Calibrated[] {
  return methods.flatMap((method) => {
    const own = trials.filter((t) => t.method === method);
    const best = own.filter(judged).sort(better)[0];
    if (!best) return [];
    const { id, settings, params, forgetting, utility, forgetAccuracy, gap, gapBands, testAccuracy, exampleGradients, seconds, timeRatio } = best;
    return [{ method, trial: id, settings, params, forgetting, utility, forgetAccuracy, gap, gapBands, testAccuracy, exampleGradients, seconds, timeRatio, trials: own.length }];
  });
}

/** The best calibrated method by the same order, or undefined when no trial succeeded. */
export function recommended(trials: Trial[], chosen: Calibrated[]): string | undefined {
  const best = chosen.map((c) => trials.find((t) => t.id === c.trial)!).filter(judged).sort(better)[0];
  return best?.method;
}

/** Trials no other trial beats on all of |gap in bands| (lower), test accuracy (higher) and compute (lower), by |gap|. */
export function paretoFront(trials: Trial[]): string[] {
  const points = trials.filter(judged).map((t) => ({ id: t.id, gap: Math.abs(t.gapBands), utility: t.testAccuracy ?? 0, time: t.exampleGradients }));
  const dominates = (a: (typeof points)[0], b: (typeof points)[0]) =>
    a.gap <= b.gap && a.utility >= b.utility && a.time <= b.time && (a.gap < b.gap || a.utility > b.utility || a.time < b.time);
  return points
    .filter((p) => !points.some((q) => dominates(q, p)))
    .sort((a, b) => a.gap - b.gap || (a.id < b.id ? -1 : 1))
    .map((p) => p.id);
}

/** The summary fields of a calibration file from its trials. */
export function summarise(trials: Trial[], methods: string[]): Pick<CalibrationFile, 'calibrated' | 'front' | 'recommended'> {
  const chosen = calibrated(trials, methods);
  const best = recommended(trials, chosen);
  return { calibrated: chosen, front: paretoFront(trials), ...(best ? { recommended: best } : {}) };
}
