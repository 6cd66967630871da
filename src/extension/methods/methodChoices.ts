/**
 * What the method picker shows, decided without vscode so it is unit-tested: the recommended method, each
 * method's expected cost next to retraining the model, the labels for what a method needs, and the order
 * (recommended, source papers, baselines). `methodPicker.ts` turns the entries into a QuickPick.
 */
import type { TrainingRecipe } from '../../engine/contracts/recipe';
import type { MethodDescription } from '../../engine/methods/registry';

/** The original's training recipe and where it came from: the model's metadata, a training config, or the job spec's default. */
export interface RecipeInfo {
  recipe: TrainingRecipe;
  source: 'model' | 'config' | 'default';
}

/** Why one method heads the list. */
export interface Recommendation {
  method: string;
  reason: string;
}

export type PickEntry =
  | { kind: 'separator'; label: string }
  | { kind: 'method'; method: MethodDescription; label: string; description: string; detail: string; recommended: boolean };

/**
 * The methods of the source papers (registry.ts lists them first: LoTUS, mnemonic codes, DEL and the
 * Datamodel Matching family, docs/methods.md §2.1–2.5); every other method is a baseline (§2.6).
 */
const SOURCE_PAPERS = new Set(['lotus', 'mnemonic', 'del', 'dmm', 'oracle-matching', 'dm-direct']);

/**
 * Each method's average gap to the retrain (the LoTUS average gap, docs/methods.md §3.2) in Lethe's bench at the
 * setting a job runs by default (the budget derived from the recipe, or the reference defaults where nothing is
 * derived), averaged over its two scenarios (random 10% and a whole class; bench/results/methods.md, the
 * memorising fashion-mlp original, 3 seeds each). Methods missing from a scenario (mnemonic: class forgetting
 * only) are left out. A unit test checks these against the bench file, so a rerun of the bench that changes
 * them fails until this table follows it.
 */
export const BENCH_AVG_GAP: Readonly<Record<string, number>> = {
  lotus: 0.1195,
  del: 0.0385,
  dmm: 0.199,
  'oracle-matching': 0.069,
  'dm-direct': 0.199,
  finetune: 0.178,
  'gradient-ascent': 0.1985,
  'neggrad-plus': 0.0585,
  'random-label': 0.11,
  'bad-teacher': 0.172,
  scrub: 0.101,
  ssd: 0.177,
  unsir: 0.096,
  salun: 0.115,
  fisher: 0.1555,
  'l1-sparse': 0.178,
};

/**
 * Work a method does outside its `epochs`, in epochs of the original's training: the bench's wall time
 * for that step over the time of one retrain epoch (146.8 s / 40 epochs; bench/results/methods.md).
 * Fisher: per-example gradients over the retain set (36.7–39.3 s). SSD: importances over the data (4.3–4.5 s).
 * UNSIR: noise, impair and repair steps (6.2–12.1 s). DMM and DM-Direct: TRAK attribution (≈ 57–60 s,
 * last-layer features; the default features cost more). Mnemonic codes: one step, well under a second.
 */
const EXTRA_EPOCHS: Readonly<Record<string, number>> = { fisher: 10.5, ssd: 1.2, unsir: 2.5, dmm: 15, 'dm-direct': 16 };

export interface CostEstimate {
  /** The method's work over a retrain's (undefined: too little to compare, "seconds"). */
  ratio?: number;
  text: string;
}

/**
 * Expected cost next to a retrain: (the method's epochs + EXTRA_EPOCHS) / the recipe's epochs, assuming an
 * epoch of the method costs about an epoch of training. Methods that only pass over the forget set cost less
 * (an upper bound, "≤"); oracle matching also needs the retrain it matches.
 */
export function estimateCost(m: MethodDescription, { recipe }: RecipeInfo): CostEstimate {
  if (m.name === 'retrain') return { ratio: 1, text: '= a retrain' };
  const epochs = m.params.find((p) => p.name === 'epochs' && p.type === 'integer')?.default;
  const work = (typeof epochs === 'number' ? epochs : 0) + (EXTRA_EPOCHS[m.name] ?? 0);
  if (work === 0) return { text: 'seconds (no training)' };
  const ratio = work / recipe.epochs;
  const forgetOnly = !m.needs.includes('retain');
  const parts = [`${forgetOnly ? '≤' : '≈'} ${formatRatio(ratio)}× a retrain`];
  if (forgetOnly) parts.push('passes over the forget set only');
  if (m.needs.includes('oracle')) parts.push('plus the retrain it matches');
  if (ratio > 1 && !forgetOnly) parts.push('longer than retraining');
  return { ratio, text: parts.join(', ') };
}

function formatRatio(r: number): string {
  if (r >= 10) return r.toFixed(0);
  if (r >= 1) return r.toFixed(1).replace(/\.0$/, '');
  return r.toPrecision(1);
}

/**
 * The method to recommend: the best calibrated one when a calibration file gave one (`calibrated`;
 * `lethe calibrate` is issue 17 item 5), otherwise the smallest bench gap among methods that produce a model,
 * need no oracle (a real request never has its own retrain) and are expected to finish faster than
 * retraining this model. Undefined when none is.
 */
export function recommend(methods: readonly MethodDescription[], recipe: RecipeInfo, calibrated?: Recommendation): Recommendation | undefined {
  if (calibrated && methods.some((m) => m.name === calibrated.method)) return calibrated;
  const eligible = methods.filter((m) => {
    const cost = estimateCost(m, recipe);
    return BENCH_AVG_GAP[m.name] !== undefined && m.producesModel && !m.needs.includes('oracle') && (cost.ratio === undefined || cost.ratio < 1);
  });
  const best = eligible.sort((a, b) => BENCH_AVG_GAP[a.name] - BENCH_AVG_GAP[b.name])[0];
  if (!best) return undefined;
  return {
    method: best.name,
    reason:
      `Recommended: closest to a retrain in Lethe's bench (average gap ${BENCH_AVG_GAP[best.name]} over random and whole-class forgetting, ` +
      'bench/results/methods.md) among the methods expected to finish faster than retraining this model.',
  };
}

/** What a method needs that the user should know before choosing it; `hasMnemonicCodes`: the model was trained with them. */
function needsLabel(m: MethodDescription, hasMnemonicCodes: boolean): string | undefined {
  if (!m.producesModel) return 'no model: predicts the outputs only';
  if (m.needs.includes('oracle')) return 'needs oracles: uses the reference retrain';
  if (m.needs.includes('mnemonic') && !hasMnemonicCodes) return 'needs a model trained with mnemonic codes';
  return undefined;
}

/** The first sentence of a method's summary. */
export function oneLine(summary: string): string {
  const end = summary.search(/\.(\s|$)/);
  return end < 0 ? summary : summary.slice(0, end + 1);
}

export interface PickOptions {
  recipe: RecipeInfo;
  recommendation?: Recommendation;
  hasMnemonicCodes: boolean;
}

/** The picker's entries: the recommended method first, then the source papers, then the baselines, each under a separator. */
export function methodPickEntries(methods: readonly MethodDescription[], o: PickOptions): PickEntry[] {
  const item = (m: MethodDescription): PickEntry => {
    const recommended = m.name === o.recommendation?.method;
    const cost = estimateCost(m, o.recipe);
    const costText = o.recipe.source === 'default' ? `${cost.text} (recipe unknown: assuming ${o.recipe.recipe.epochs} epochs)` : cost.text;
    return {
      kind: 'method',
      method: m,
      label: recommended ? `$(star-full) ${m.title}` : m.title,
      description: [recommended && 'recommended', m.name, costText, needsLabel(m, o.hasMnemonicCodes)].filter(Boolean).join(' · '),
      detail: [recommended && o.recommendation!.reason, oneLine(m.summary), m.citation].filter(Boolean).join(' — '),
      recommended,
    };
  };
  const groups: [string, MethodDescription[]][] = [
    ['Recommended', methods.filter((m) => m.name === o.recommendation?.method)],
    ['Source papers', methods.filter((m) => m.name !== o.recommendation?.method && SOURCE_PAPERS.has(m.name))],
    ['Baselines', methods.filter((m) => m.name !== o.recommendation?.method && !SOURCE_PAPERS.has(m.name))],
  ];
  return groups.filter(([, list]) => list.length).flatMap(([label, list]) => [{ kind: 'separator' as const, label }, ...list.map(item)]);
}

/** The method the picker starts on: the `lethe.defaultMethod` setting when it names one, else the recommended one, else the first. */
export function preselectedMethod(entries: readonly PickEntry[], setting: string): string | undefined {
  const methods = entries.flatMap((e) => (e.kind === 'method' ? [e] : []));
  return (methods.find((e) => e.method.name === setting.trim()) ?? methods.find((e) => e.recommended) ?? methods[0])?.method.name;
}
