/**
 * KLoM: KL divergence of margins between N unlearned models and N oracle (retrained) models, per example
 * (DMM paper, App. E.1; EasyDUB). docs/methods.md §3.6. The defaults are the correct form; the options
 * reproduce the two reference implementations' quirks for comparing with their numbers.
 */
import { LetheError } from '../util/errors';
import { binCounts, linspace } from './histogram';
import { margins } from './probabilities';
import { mean, quantile, std } from './stats';

/** Margins of N models on the same n examples: margins[m·n + i] is model m's margin on example i. */
export interface MarginEnsemble {
  models: number;
  examples: number;
  margins: Float64Array;
}

export interface KlomOptions {
  /** Histogram bins (default 20). */
  bins?: number;
  /** Floor for oracle bin probabilities (default 1e-5); bounds KLoM by about ln(1/ε). */
  epsilon?: number;
  /** Margins of both sides are clipped to [−clip, clip] first (default 100; the DMM code clips only the unlearned side). */
  clip?: number;
  /**
   * 'unlearned‖oracle' (default; the DMM evaluation code) or 'oracle‖unlearned' (what EasyDUB's run.py
   * computes, because it passes the arguments swapped).
   */
  direction?: 'unlearned‖oracle' | 'oracle‖unlearned';
  /**
   * 'closed' (default): `bins` equal bins over [min, max], the maximum counted in the last bin.
   * 'dmm': the original DMM code: `bins` edges, so bins − 1 usable bins, and values equal to the maximum dropped.
   * 'easydub': EasyDUB: bins + 1 edges, and values equal to the maximum dropped.
   */
  binning?: 'closed' | 'dmm' | 'easydub';
  /** Where ε floors q: 'where-p-positive' (default; EasyDUB) or 'every-bin' (original DMM code). */
  floor?: 'where-p-positive' | 'every-bin';
}

/** Builds an ensemble from N models' logits (n × k each) on the same labelled examples. */
export function marginEnsemble(logitsPerModel: Float32Array[], labels: Int32Array, k: number): MarginEnsemble {
  if (logitsPerModel.length === 0) throw new LetheError('needs at least one model', undefined, 'KLoM');
  const n = labels.length;
  const out = new Float64Array(logitsPerModel.length * n);
  logitsPerModel.forEach((logits, m) => {
    if (logits.length !== n * k) throw new LetheError(`model ${m} has ${logits.length} logits for ${n} examples × ${k} classes`, undefined, 'KLoM');
    out.set(margins(logits, labels, k), m * n);
  });
  return { models: logitsPerModel.length, examples: n, margins: out };
}

/**
 * KLoM of one example from its two margin samples: histogram both on shared equal-width bins over the
 * pooled [min, max], p = unlearned and q = oracle bin frequencies, q floored at ε, then Σ p ln(p/q) after
 * renormalising both (as scipy.stats.entropy does). The direction option swaps p and q.
 */
export function klomOfSamples(unlearned: ArrayLike<number>, oracle: ArrayLike<number>, options: KlomOptions = {}): number {
  const bins = options.bins ?? 20;
  const eps = options.epsilon ?? 1e-5;
  const clip = options.clip ?? 100;
  const binning = options.binning ?? 'closed';
  if (!Number.isInteger(bins) || bins < (binning === 'dmm' ? 2 : 1)) throw new LetheError(`bins must be a positive integer, got ${bins}`, undefined, 'KLoM');
  if (!(eps > 0 && eps < 1)) throw new LetheError(`epsilon must be in (0, 1), got ${eps}`, undefined, 'KLoM');
  if (unlearned.length === 0 || oracle.length === 0) throw new LetheError('needs margins on both sides', undefined, 'KLoM');
  const u = clipAll(unlearned, clip);
  const o = clipAll(oracle, clip);
  let lo = Infinity, hi = -Infinity;
  for (const v of [...u, ...o]) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  if (!(lo < hi)) hi = lo + 1; // all margins equal: one non-empty bin (EasyDUB's guard; DMM's code gives NaN here)
  const edges = linspace(lo, hi, binning === 'dmm' ? bins : bins + 1);
  const count = (values: Float64Array): number[] => {
    const counts = binCounts(values, edges, binning === 'closed');
    // The DMM code also keeps digitize's index 0 ("below the first edge"): an always-empty bin that still
    // gets the ε floor in 'every-bin' mode and so shifts the renormalisation.
    return binning === 'dmm' ? [0, ...counts] : counts;
  };
  const [p, q] = options.direction === 'oracle‖unlearned' ? [count(o), count(u)] : [count(u), count(o)];
  return binnedKl(p, q, eps, options.floor ?? 'where-p-positive');
}

/** KL(p‖q) of two count vectors: frequencies, q floored at ε, then both renormalised (scipy.stats.entropy). */
function binnedKl(pCounts: number[], qCounts: number[], eps: number, floor: 'where-p-positive' | 'every-bin'): number {
  const pTotal = pCounts.reduce((a, b) => a + b, 0);
  const qTotal = qCounts.reduce((a, b) => a + b, 0);
  // With the digitize quirk every sample of p can sit on the dropped maximum: 0/0, NaN as in the reference code.
  if (pTotal === 0) return NaN;
  const q = qCounts.map((c, b) => {
    const f = qTotal > 0 ? c / qTotal : 0;
    return floor === 'every-bin' || pCounts[b] > 0 ? Math.max(f, eps) : f;
  });
  const qSum = q.reduce((a, b) => a + b, 0);
  let kl = 0;
  pCounts.forEach((c, b) => {
    if (c > 0) {
      const pb = c / pTotal;
      kl += pb * Math.log(pb / (q[b] / qSum));
    }
  });
  return kl;
}

/**
 * Largest possible KLoM: all of p in bins where q had nothing, so p/q ≤ Σq / ε with Σq ≤ 1 + bins·ε
 * (every layout has `bins` probability entries). About ln(1/ε) ≈ 11.51 for the defaults.
 */
export function klomUpperBound(options: KlomOptions = {}): number {
  const eps = options.epsilon ?? 1e-5;
  return Math.log((1 + (options.bins ?? 20) * eps) / eps);
}

function clipAll(values: ArrayLike<number>, clip: number): Float64Array {
  return Float64Array.from(values, (v) => Math.min(Math.max(v, -clip), clip));
}

/** KLoM of every example of the two ensembles (which must cover the same examples). */
export function klomPerExample(unlearned: MarginEnsemble, oracle: MarginEnsemble, options: KlomOptions = {}): Float64Array {
  checkEnsemble(unlearned, 'unlearned margins');
  checkEnsemble(oracle, 'oracle margins');
  if (unlearned.examples !== oracle.examples) {
    throw new LetheError(`ensembles cover ${unlearned.examples} and ${oracle.examples} examples`, undefined, 'KLoM');
  }
  const n = unlearned.examples;
  const u = new Float64Array(unlearned.models);
  const o = new Float64Array(oracle.models);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let m = 0; m < u.length; m++) u[m] = unlearned.margins[m * n + i];
    for (let m = 0; m < o.length; m++) o[m] = oracle.margins[m * n + i];
    out[i] = klomOfSamples(u, o, options);
  }
  return out;
}

function checkEnsemble(e: MarginEnsemble, what: string): void {
  if (!(e.models >= 1) || e.margins.length !== e.models * e.examples) {
    throw new LetheError(`${e.margins.length} margins for ${e.models} models × ${e.examples} examples`, undefined, what);
  }
  const bad = e.margins.findIndex((m) => Number.isNaN(m));
  if (bad >= 0) throw new LetheError(`margin of model ${Math.floor(bad / e.examples)} on example ${bad % e.examples} is NaN`, undefined, what);
}

export interface KlomSummary {
  p95: number;
  p99: number;
  mean: number;
  std: number;
}

/** The statistics EasyDUB records over a set's per-example KLoM (the DMM paper plots the 95th percentile). */
export function summariseKlom(perExample: Float64Array): KlomSummary {
  return { p95: quantile(perExample, 0.95), p99: quantile(perExample, 0.99), mean: mean(perExample), std: std(perExample) };
}
