/**
 * One metric of the verdict: the judged model against its target, with noise bands from the bootstrap
 * and the spread between reference models (docs/verdict.md, "Noise" and "Findings").
 */
import type { VerdictEvidence } from '../../contracts/report';
import { bootstrap, type BootstrapOptions, type Resampled, type Statistic } from './bootstrap';

/** z of a two-sided 95% normal interval: a band is z standard deviations of a difference. */
export const Z95 = 1.96;

export interface Comparison<Set extends string> {
  /** Report metric id when it is one, so the band can mark that metric. */
  metric: string;
  label: string;
  /** 'forgetting': higher values mean the model remembers more. 'utility': higher values mean more utility. */
  kind: 'forgetting' | 'utility';
  /** The same statistic for the judged model, the model before unlearning, and each target model. */
  judged: Statistic<Set>;
  original?: Statistic<Set>;
  /** Target models (the references, or the original for retrain-free utility) or a fixed target value. */
  target: Statistic<Set>[] | number;
  targetLabel: string;
  /** Whether a value past the target (below it, for forgetting) means over-forgetting. */
  canOvershoot: boolean;
  /** Smallest band: the resolution of the statistic (one example of the set, for a share). */
  resolution: number;
}

export interface Judged {
  evidence: VerdictEvidence;
  /** Band of (original − target): within it the original already matched the target (nothing to forget here). */
  originalBand?: number;
  originalMatched: boolean;
}

/** Evaluates every comparison on the same bootstrap draws. */
export function judgeAll<Set extends string>(sizes: Record<Set, number>, comparisons: Comparison<Set>[], options: BootstrapOptions): Judged[] {
  const statistics: Record<string, Statistic<Set>> = {};
  comparisons.forEach((c, i) => {
    statistics[`${i}:judged`] = c.judged;
    if (c.original) statistics[`${i}:original`] = c.original;
    if (typeof c.target !== 'number') c.target.forEach((t, j) => (statistics[`${i}:target${j}`] = t));
  });
  const results = bootstrap(sizes, statistics, options);
  return comparisons.map((c, i) => judge(c, results[`${i}:judged`], c.original && results[`${i}:original`], targetSeries(c, i, results)));
}

/** The target's observed value, its value on each resample, and the spread term of the reference models. */
interface TargetSeries {
  observed: number;
  resampled: Float64Array | undefined;
  /** Variance a single new reference would add: sd² · (1 + 1/N) between N ≥ 2 reference models, else 0. */
  spreadVariance: number;
}

function targetSeries<Set extends string>(c: Comparison<Set>, i: number, results: Record<string, Resampled>): TargetSeries {
  if (typeof c.target === 'number') return { observed: c.target, resampled: undefined, spreadVariance: 0 };
  const runs = c.target.map((_, j) => results[`${i}:target${j}`]);
  const n = runs.length;
  const observed = runs.reduce((s, r) => s + r.observed, 0) / n;
  const resampled = runs[0].resampled.map((_, b) => runs.reduce((s, r) => s + r.resampled[b], 0) / n);
  const spread = n < 2 ? 0 : runs.reduce((s, r) => s + (r.observed - observed) ** 2, 0) / (n - 1);
  return { observed, resampled, spreadVariance: spread * (1 + 1 / n) };
}

function judge<Set extends string>(c: Comparison<Set>, judged: Resampled, original: Resampled | undefined, target: TargetSeries): Judged {
  const band = (a: Resampled, b: { resampled?: Float64Array }, extraVariance: number) =>
    Math.max(c.resolution, Z95 * Math.sqrt(differenceVariance(a.resampled, b.resampled) + extraVariance));
  const judgedBand = band(judged, target, target.spreadVariance);
  const excess = judged.observed - target.observed;
  const originalBand = original && band(original, target, target.spreadVariance);
  const originalMatched = original !== undefined && Math.abs(original.observed - target.observed) <= originalBand!;
  // Without a model before unlearning (an audit) progress cannot be seen: short of the target counts as unmoved.
  const movedFromOriginal = original !== undefined && Math.abs(judged.observed - original.observed) > band(judged, original, 0);
  const evidence: VerdictEvidence = {
    metric: c.metric,
    label: c.label,
    value: judged.observed,
    ...(original ? { original: original.observed } : {}),
    target: target.observed,
    targetLabel: c.targetLabel,
    band: judgedBand,
    distance: excess / judgedBand,
    finding: c.kind === 'utility' ? utilityFinding(excess, judgedBand, original && judged.observed - original.observed < -band(judged, original, 0)) : forgettingFinding(excess, judgedBand, c.canOvershoot, movedFromOriginal),
  };
  return { evidence, originalBand, originalMatched };
}

/**
 * Lost: below the target beyond noise and, when there is a model before unlearning, below it too. What the
 * original already had is not a loss the method caused (a memorising original can sit a hair below one
 * retrain on retain accuracy, which the bootstrap alone calls significant).
 */
function utilityFinding(excess: number, band: number, belowOriginal: boolean | undefined): VerdictEvidence['finding'] {
  return excess < -band && belowOriginal !== false ? 'lost' : 'kept';
}

function forgettingFinding(excess: number, band: number, canOvershoot: boolean, moved: boolean): VerdictEvidence['finding'] {
  if (excess < -band) return canOvershoot ? 'beyond' : 'matches';
  if (excess <= band) return 'matches';
  return moved ? 'partway' : 'unmoved';
}

/** Variance over resamples of a − b (b absent: of a alone); resamples where either is NaN (nothing drawn) are skipped. */
function differenceVariance(a: Float64Array, b: Float64Array | undefined): number {
  let n = 0, sum = 0, sumSq = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - (b ? b[i] : 0);
    if (Number.isNaN(d)) continue;
    n++;
    sum += d;
    sumSq += d * d;
  }
  if (n < 2) return 0;
  const m = sum / n;
  return Math.max(0, (sumSq - n * m * m) / (n - 1));
}
