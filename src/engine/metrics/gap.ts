/** Average gap to the reference (retrained) model, LoTUS's and SalUn's definitions (docs/methods.md §3.2). */
import { LetheError } from '../util/errors';

/** The four numbers LoTUS compares, all shares in [0, 1]. `mia` is the entropy-LR MIA. */
export interface LotusGapScores {
  mia: number;
  accForget: number;
  accRetain: number;
  accTest: number;
}

/** The four numbers SalUn compares, as shares in [0, 1]; `miaEfficacy` is the confidence-SVC MIA-efficacy. */
export interface SalunGapScores {
  accForget: number;
  accRetain: number;
  accTest: number;
  miaEfficacy: number;
}

/**
 * LoTUS Avg Gap = ¼ Σ |method − reference| over MIA, acc_F, acc_R, acc_T, on a 0–1 scale.
 * `roundLikeLotus` first rounds each input to two decimals, as LoTUS's accuracy and MIA helpers do,
 * to compare with the paper's tables; off by default because the rounding can hide a gap of up to 0.005.
 */
export function lotusAverageGap(method: LotusGapScores, reference: LotusGapScores, roundLikeLotus = false): number {
  const r = roundLikeLotus ? roundTo2 : (v: number) => v;
  const keys: (keyof LotusGapScores)[] = ['mia', 'accForget', 'accRetain', 'accTest'];
  return meanAbsoluteDifference(keys.map((key) => [r(method[key]), r(reference[key])]));
}

/**
 * SalUn Avg. Gap, in percent: mean |Δ| over UA = 100 − acc_F, RA, TA and MIA-efficacy (×100).
 * |ΔUA| = |Δacc_F|, so it is 100 × the mean absolute difference of the shares.
 */
export function salunAverageGap(method: SalunGapScores, reference: SalunGapScores): number {
  const keys: (keyof SalunGapScores)[] = ['accForget', 'accRetain', 'accTest', 'miaEfficacy'];
  return 100 * meanAbsoluteDifference(keys.map((key) => [method[key], reference[key]]));
}

function meanAbsoluteDifference(pairs: [number, number][]): number {
  for (const [a, b] of pairs) if (!Number.isFinite(a) || !Number.isFinite(b)) throw new LetheError(`gap of non-finite scores ${a}, ${b}`);
  return pairs.reduce((s, [a, b]) => s + Math.abs(a - b), 0) / pairs.length;
}

/**
 * Python's round(x, 2). The only exact decimal ties in binary floating point are odd multiples of 1/8
 * (0.125, 0.375, …): Python rounds those half to even, where Math.round would round up.
 */
export function roundTo2(x: number): number {
  const scaled = x * 100;
  const floor = Math.floor(scaled);
  if (scaled - floor === 0.5 && Number.isInteger(x * 8)) return (floor % 2 === 0 ? floor : floor + 1) / 100;
  return Math.round(scaled) / 100;
}
