/**
 * The verdict of a run: did the model forget the forget set, and did it keep its utility? Pure: from the
 * logits and labels the run already has (docs/verdict.md). With reference models the targets are theirs;
 * without, the retrain-free targets the papers offer (forget vs unseen data), marked as weaker evidence.
 */
import type { ModelRole, Verdict } from '../../contracts/report';
import { forgottenClasses } from '../classForgetting';
import { LOTUS_TABLE_SCALE } from '../jsd';
import { rfJsdAgainst } from '../rfJsd';
import type { LogitsBySplit, Split } from '../types';
import { pooledMean, type Part, type Statistic, type Weights } from './bootstrap';
import { judgeAll, type Comparison, type Judged } from './compare';
import { forgettingVerdict, utilityVerdict } from './rules';
import { modelSeries, type ModelSeries } from './series';

export interface VerdictOptions {
  /** Bootstrap resamples (default 1000). */
  resamples?: number;
  /** Seed of the bootstrap (default 0). */
  seed?: number;
  /** sklearn C of the entropy-MIA logistic regression (default 1), as for the mia.entropy metric. */
  miaLogisticC?: number;
}

export interface VerdictInput {
  k: number;
  labels: Partial<Record<Split, Int32Array>>;
  /** The unlearned model is judged against the original; without one (an audit) the original is judged alone. */
  models: { original?: LogitsBySplit; unlearned?: LogitsBySplit };
  /** Every model retrained without the forget set (none: a retrain-free verdict). */
  references: LogitsBySplit[];
  options?: VerdictOptions;
}

/** Per metric id, per model, the half-width of the noise band of (value − reference value). */
export type MetricBands = Record<string, Partial<Record<ModelRole, number>>>;

export interface VerdictResult {
  verdict: Verdict;
  bands: MetricBands;
}

type Models = { judged: ModelSeries; original?: ModelSeries; references: ModelSeries[] };
type Stat = Statistic<Split>;

/** undefined when the judged model has no outputs on the forget set. */
export function judgeRun(input: VerdictInput): VerdictResult | undefined {
  const { k, labels } = input;
  const options = { resamples: input.options?.resamples ?? 1000, seed: input.options?.seed ?? 0 };
  const judgedRole: ModelRole = input.models.unlearned ? 'unlearned' : 'original';
  const judgedLogits = input.models[judgedRole];
  if (!judgedLogits?.forget || !labels.forget) return undefined;
  const series = (logits: LogitsBySplit, name: string) => modelSeries(logits, labels, k, name, input.options?.miaLogisticC);
  const models: Models = {
    judged: series(judgedLogits, `${judgedRole} model`),
    original: input.models.unlearned && input.models.original ? series(input.models.original, 'original model') : undefined,
    references: input.references.map((r, i) => series(r, `reference model ${i + 1}`)),
  };
  const sets = new SetsOf(labels);
  const plan = models.references.length > 0 ? againstReferences(models, sets, k, input.models.original) : retrainFree(models, sets);
  const sizes = Object.fromEntries(Object.entries(labels).map(([s, l]) => [s, l!.length])) as Record<Split, number>;
  const judged = judgeAll(sizes, [...plan.forgetting, ...plan.utility, ...plan.bandsOnly], options);
  const forgetting = judged.slice(0, plan.forgetting.length);
  const utility = judged.slice(plan.forgetting.length, plan.forgetting.length + plan.utility.length);
  if (forgetting.length === 0) return undefined;
  const verdict: Verdict = {
    evidence: models.references.length > 0 ? 'reference' : 'retrain-free (weaker)',
    references: models.references.length,
    forgetting: { ...forgettingVerdict(forgetting), metrics: forgetting.map((j) => j.evidence) },
    ...(utility.length > 0 ? { utility: { ...utilityVerdict(utility.map((j) => j.evidence)), metrics: utility.map((j) => j.evidence) } } : {}),
    noise: { level: 0.95, resamples: options.resamples, seed: options.seed, referenceSpread: models.references.length > 1 },
    notes: notes(models, forgetting),
  };
  return { verdict, bands: models.references.length > 0 ? metricBands(judged, judgedRole) : {} };
}

interface Plan {
  forgetting: Comparison<Split>[];
  utility: Comparison<Split>[];
  /** Compared only for the bands that mark these metrics in the report. */
  bandsOnly: Comparison<Split>[];
}

/** Which examples count where: the classes forgotten whole, and the unseen examples of the forget set's classes. */
class SetsOf {
  readonly forgottenClasses: number[];
  constructor(readonly labels: Partial<Record<Split, Int32Array>>) {
    this.forgottenClasses = labels.retain ? forgottenClasses(labels.forget!, labels.retain) : [];
  }
  get classForgetting(): boolean {
    return this.forgottenClasses.length > 0;
  }
  size(split: Split): number {
    return this.labels[split]?.length ?? 0;
  }
  /** 1 for the examples of `split` whose class is (inside) or is not (outside) one of `classes`. */
  mask(split: Split, classes: number[], inside = true): Uint8Array | undefined {
    const l = this.labels[split];
    if (!l) return undefined;
    const chosen = new Set(classes);
    return Uint8Array.from(l, (c) => (chosen.has(c) === inside ? 1 : 0));
  }
}

const share = (pick: (m: ModelSeries) => Float64Array | undefined, split: Split, mask?: Uint8Array) => (m: ModelSeries): Stat | undefined => {
  const values = pick(m);
  return values && ((w: Weights<Split>) => pooledMean([{ values, weights: w[split], mask }]));
};

/** Share on the forget set minus share on the unseen (test and validation) examples of the forget set's classes. */
const forgetMinusUnseen = (pick: (m: ModelSeries, split: Split) => Float64Array | undefined, sets: SetsOf) => (m: ModelSeries): Stat | undefined => {
  const forget = pick(m, 'forget');
  const classes = [...new Set(sets.labels.forget)];
  const unseen = (['test', 'validation'] as const).flatMap((split) => {
    const values = pick(m, split);
    return values ? [{ split, values, mask: sets.mask(split, classes) }] : [];
  });
  if (!forget || unseen.length === 0) return undefined;
  return (w) =>
    pooledMean([{ values: forget, weights: w.forget }]) - pooledMean(unseen.map((u): Part => ({ values: u.values, weights: w[u.split], mask: u.mask })));
};

type PerModel = (m: ModelSeries) => Stat | undefined;

interface Spec {
  metric: string;
  label: string;
  kind: Comparison<Split>['kind'];
  stat: PerModel;
  canOvershoot: boolean;
  resolution: number;
}

/** A comparison when every model involved has the statistic. */
function compare(spec: Spec, models: Models, target: 'references' | 'original' | number, targetLabel: string): Comparison<Split>[] {
  const judged = spec.stat(models.judged);
  const original = models.original && spec.stat(models.original);
  const targets = target === 'references' ? models.references.map(spec.stat) : target === 'original' ? [original] : target;
  if (!judged || (typeof targets !== 'number' && (targets.length === 0 || targets.some((t) => !t)))) return [];
  return [{ ...spec, judged, ...(original ? { original } : {}), target: typeof targets === 'number' ? targets : (targets as Stat[]), targetLabel }];
}

const correct = (split: Split) => (m: ModelSeries) => m.correct[split];
const member = (split: Split) => (m: ModelSeries) => m.member?.[split];

function againstReferences(models: Models, sets: SetsOf, k: number, originalLogits: LogitsBySplit | undefined): Plan {
  const nF = sets.size('forget');
  const target = models.references.length === 1 ? 'reference' : `mean of ${models.references.length} references`;
  const on = (spec: Spec) => compare(spec, models, 'references', target);
  const accuracy = (metric: string, label: string, split: Split, kind: Spec['kind'], mask?: Uint8Array): Spec => ({
    metric, label, kind, stat: share(correct(split), split, mask), canOvershoot: true, resolution: 1 / Math.max(1, count(mask) ?? sets.size(split)),
  });
  const testForgotten = sets.mask('test', sets.forgottenClasses);
  const testRemaining = sets.mask('test', sets.forgottenClasses, false);
  const forgetting = [
    ...on(accuracy('acc.forget', 'Forget accuracy', 'forget', 'forgetting')),
    ...on({ metric: 'mia.entropy', label: 'MIA (entropy)', kind: 'forgetting', stat: share(member('forget'), 'forget'), canOvershoot: true, resolution: 1 / nF }),
    ...(sets.classForgetting ? on(accuracy('mnemonic.forgotten', 'Test accuracy on forgotten classes', 'test', 'forgetting', testForgotten)) : []),
  ];
  const utility = [
    ...on(accuracy('acc.retain', 'Retain accuracy', 'retain', 'utility')),
    ...(sets.classForgetting
      ? on(accuracy('mnemonic.remaining', 'Test accuracy on remaining classes', 'test', 'utility', testRemaining))
      : on(accuracy('acc.test', 'Test accuracy', 'test', 'utility'))),
  ];
  const originalTest = (originalLogits ? models.original ?? models.judged : models.judged).outputs.test;
  const bandsOnly = [
    ...on(accuracy('acc.validation', 'Validation accuracy', 'validation', 'utility')),
    ...(sets.classForgetting ? on(accuracy('acc.test', 'Test accuracy', 'test', 'utility')) : []),
    ...(originalTest ? on({ metric: 'rfjsd.lotus', label: 'RF-JSD ×10⁴', kind: 'forgetting', stat: rfJsdOf(originalTest, k), canOvershoot: false, resolution: 1e-9 }) : []),
  ];
  return { forgetting, utility, bandsOnly };
}

/** RF-JSD ×10⁴ of a model against the original's test outputs; only the forget set is resampled (the test side is shared by every model compared). */
function rfJsdOf(originalTest: NonNullable<ModelSeries['outputs']['test']>, k: number): PerModel {
  const against = rfJsdAgainst(originalTest, k);
  return (m) => {
    const forget = m.outputs.forget;
    return forget && ((w) => LOTUS_TABLE_SCALE * against(forget, w.forget));
  };
}

function retrainFree(models: Models, sets: SetsOf): Plan {
  const nF = sets.size('forget');
  const unseen = 'unseen data';
  const gap = (metric: string, label: string, pick: (m: ModelSeries, split: Split) => Float64Array | undefined): Spec => ({
    metric, label, kind: 'forgetting', stat: forgetMinusUnseen(pick, sets), canOvershoot: true, resolution: 1 / nF,
  });
  const never = 'a never-seen class';
  const testForgotten = sets.mask('test', sets.forgottenClasses);
  const forgetting = [
    ...(sets.classForgetting
      ? [
          ...compare({ metric: 'acc.forget', label: 'Forget accuracy', kind: 'forgetting', stat: share(correct('forget'), 'forget'), canOvershoot: false, resolution: 1 / nF }, models, 0, never),
          ...compare({ metric: 'mnemonic.forgotten', label: 'Test accuracy on forgotten classes', kind: 'forgetting', stat: share(correct('test'), 'test', testForgotten), canOvershoot: false, resolution: 1 / Math.max(1, count(testForgotten) ?? 1) }, models, 0, never),
        ]
      : compare(gap('rf.acc.forgetVsUnseen', 'Forget − unseen accuracy', (m, s) => m.correct[s]), models, 0, unseen)),
    ...compare(gap('rf.mia.forgetVsUnseen', 'Forget − unseen MIA member rate', (m, s) => m.member?.[s]), models, 0, unseen),
  ];
  const utilityOn = (metric: string, label: string, split: Split, mask?: Uint8Array) =>
    compare({ metric, label, kind: 'utility', stat: share(correct(split), split, mask), canOvershoot: false, resolution: 1 / Math.max(1, count(mask) ?? sets.size(split)) }, models, 'original', 'original');
  const utility = models.original
    ? [
        ...utilityOn('acc.retain', 'Retain accuracy', 'retain'),
        ...(sets.classForgetting ? utilityOn('mnemonic.remaining', 'Test accuracy on remaining classes', 'test', sets.mask('test', sets.forgottenClasses, false)) : utilityOn('acc.test', 'Test accuracy', 'test')),
      ]
    : [];
  return { forgetting, utility, bandsOnly: [] };
}

function count(mask: Uint8Array | undefined): number | undefined {
  return mask?.reduce((n, v) => n + v, 0);
}

/** Bands for the report's metric entries: the judged and the original model, plus the two derived from others. */
function metricBands(judged: Judged[], judgedRole: ModelRole): MetricBands {
  const bands: MetricBands = {};
  for (const j of judged) {
    const entry = (bands[j.evidence.metric] = { [judgedRole]: j.evidence.band } as Partial<Record<ModelRole, number>>);
    if (j.originalBand !== undefined) entry.original = j.originalBand;
  }
  // E_F − E_F(reference) = 100 · (a_reference − a) / a_original on the forgotten classes (docs/methods.md §3.8).
  const forgotten = judged.find((j) => j.evidence.metric === 'mnemonic.forgotten')?.evidence;
  if (forgotten?.original && judgedRole === 'unlearned') bands['mnemonic.ef'] = { unlearned: (100 * forgotten.band) / forgotten.original };
  // The LoTUS gap a model reaches with every component at the edge of its band.
  const parts = ['mia.entropy', 'acc.forget', 'acc.retain', 'acc.test'].map((id) => bands[id]);
  if (parts.every((p) => p !== undefined)) {
    const gap: Partial<Record<ModelRole, number>> = {};
    for (const role of [judgedRole, 'original'] as const) {
      if (parts.every((p) => p[role] !== undefined)) gap[role] = parts.reduce((s, p) => s + p[role]!, 0) / 4;
    }
    bands['gap.lotus'] = gap;
  }
  return bands;
}

function notes(models: Models, forgetting: Judged[]): string[] {
  const out: string[] = [];
  if (models.references.length === 0) {
    out.push('No retrained reference: the targets assume a retrain would treat the forget set like unseen data of its classes, which a non-random forget set (a sub-population) can break. Weaker evidence.');
  } else if (models.references.length === 1) {
    out.push('One reference model: the spread between retrains is not measured, so the bands are the bootstrap over examples only (train more references to include it).');
  }
  if (!models.original) out.push('No model before unlearning: progress from the original cannot be measured.');
  const little = forgetting.filter((j) => j.originalMatched).map((j) => j.evidence.label.toLowerCase());
  if (little.length > 0) out.push(`The original already matched the target on ${little.join(', ')}: there was little to forget there.`);
  return out;
}
