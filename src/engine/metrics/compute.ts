/**
 * One entry point that turns the logits of the original, unlearned and reference models on each set into
 * the report's metric table, per-class accuracies and histograms. Missing roles or sets just omit the
 * metrics that need them.
 */
import type { Histogram, MetricEntry, ModelRole, PerClassAccuracy, Verdict } from '../contracts/report';
import { judgeRun, type MetricBands, type VerdictOptions } from './verdict';
import { accuracy, perClassAccuracy } from './accuracy';
import { METRICS, klomMetricId, type KlomStat } from './catalogue';
import { accuracyOnClasses, forgettingEfficacy, forgottenClasses } from './classForgetting';
import { costFraction, speedup } from './cost';
import { lotusAverageGap, salunAverageGap } from './gap';
import { LOTUS_TABLE_SCALE, lotusJsd, meanJsd } from './jsd';
import { klomPerExample, summariseKlom, type KlomOptions, type MarginEnsemble } from './klom';
import { confidenceMiaEfficacy, entropyMia } from './mia';
import { modelOutputs, type Outputs, type SetOutputs } from './modelOutputs';
import { rowEntropies, trueClassProbabilities } from './probabilities';
import { klomHistograms, reportHistograms, type KlomValues } from './reportHistograms';
import { rfJsd } from './rfJsd';
import { concat } from './stats';
import { ROLES, SPLITS, type LogitsBySplit, type Split } from './types';

export type MetricFamily = 'accuracy' | 'classForgetting' | 'gap' | 'mia' | 'jsd' | 'rfJsd' | 'klom' | 'histograms' | 'cost' | 'verdict';

export interface MetricsOptions {
  /** Families to compute; every family is on unless set to false. */
  include?: Partial<Record<MetricFamily, boolean>>;
  /** Seed for the SVC-MIA subsampling (default 0). */
  seed?: number;
  /** sklearn C of the entropy-MIA logistic regression (default 1). */
  miaLogisticC?: number;
  /** Cap on SVC-MIA shadow members and non-members each (default 1000). */
  svcMaxPerSide?: number;
  /** Round accuracies and MIA to two decimals before the LoTUS gap, as LoTUS does (default false). */
  roundLikeLotus?: boolean;
  klom?: KlomOptions;
  /** Bins of the report histograms (default 30). */
  histogramBins?: number;
  /** Bootstrap of the verdict's noise bands (default 1000 resamples, seeded with `seed`). */
  verdict?: Pick<VerdictOptions, 'resamples'>;
}

/** Margins of N models per side for KLoM, on the same examples (and labels) as `labels`. */
export interface KlomInput {
  /** N retrained oracles per split. */
  oracle: Partial<Record<Split, MarginEnsemble>>;
  /** N models per role compared with the oracles: 'unlearned'; 'original' (do nothing); 'reference' = an independent oracle set (the floor). */
  models: Partial<Record<ModelRole, Partial<Record<Split, MarginEnsemble>>>>;
}

export interface TimingInput {
  unlearnSeconds?: number;
  referenceSeconds?: number;
  unlearnExampleGradients?: number;
  referenceExampleGradients?: number;
}

export interface MetricsInput {
  classNames: string[];
  /** True labels of each set, shared by every model. */
  labels: Partial<Record<Split, Int32Array>>;
  /** Logits (n × K row-major, K = classNames.length) of each model on each set. */
  logits: Partial<Record<ModelRole, LogitsBySplit>>;
  /**
   * Every reference model (retrains with different seeds) for the verdict's targets and their spread;
   * defaults to the one in `logits.reference`.
   */
  references?: LogitsBySplit[];
  klom?: KlomInput;
  timing?: TimingInput;
  options?: MetricsOptions;
}

export interface MetricsOutput {
  metrics: MetricEntry[];
  perClass: PerClassAccuracy[];
  histograms: Histogram[];
  /** Forgot or not, utility kept or lost (docs/verdict.md); absent without outputs on the forget set. */
  verdict?: Verdict;
}

class MetricValues {
  private readonly values = new Map<string, Partial<Record<ModelRole, number>>>();

  set(id: string, role: ModelRole, value: number): void {
    const entry = this.values.get(id) ?? {};
    entry[role] = value;
    this.values.set(id, entry);
  }

  get(id: string, role: ModelRole): number | undefined {
    return this.values.get(id)?.[role];
  }

  /** Entries in catalogue order, each with its noise bands when the verdict estimated them. */
  entries(bands: MetricBands = {}): MetricEntry[] {
    return Object.entries(METRICS)
      .filter(([id]) => this.values.has(id))
      .map(([id, info]) => ({ id, ...info, values: this.values.get(id)!, ...(bands[id] ? { band: bands[id] } : {}) }));
  }
}

export function computeMetrics(input: MetricsInput): MetricsOutput {
  const k = input.classNames.length;
  const options = input.options ?? {};
  const on = (family: MetricFamily) => options.include?.[family] !== false;
  const outputs = modelOutputs(input.logits, input.labels, k);
  const values = new MetricValues();
  const perClass: PerClassAccuracy[] = [];

  if (on('accuracy')) perClass.push(...accuracies(outputs, input.classNames, k, values));
  if (on('classForgetting')) classForgetting(outputs, input.labels, k, values);
  if (on('mia')) membershipInference(outputs, k, options, values);
  if (on('gap')) gaps(options, values);
  if (on('jsd')) divergences(outputs, k, values);
  if (on('rfJsd')) retrainFreeDivergences(outputs, k, values);
  const klomValues = on('klom') && input.klom ? klom(input.klom, options.klom, values) : [];
  if (on('cost') && input.timing) cost(input.timing, values);
  const bins = options.histogramBins ?? 30;
  const histograms = on('histograms') ? [...reportHistograms(outputs, k, bins), ...klomHistograms(klomValues, bins, options.klom)] : [];
  const judged = on('verdict') ? verdictOf(input) : undefined;
  return { metrics: values.entries(judged?.bands), perClass, histograms, ...(judged ? { verdict: judged.verdict } : {}) };
}

function verdictOf(input: MetricsInput): ReturnType<typeof judgeRun> {
  const { original, unlearned, reference } = input.logits;
  const options = input.options ?? {};
  return judgeRun({
    k: input.classNames.length,
    labels: input.labels,
    models: { original, unlearned },
    references: input.references ?? (reference ? [reference] : []),
    options: { seed: options.seed ?? 0, miaLogisticC: options.miaLogisticC, resamples: options.verdict?.resamples },
  });
}

function accuracies(outputs: Outputs, classNames: string[], k: number, values: MetricValues): PerClassAccuracy[] {
  const tables: PerClassAccuracy[] = [];
  for (const split of SPLITS) {
    const table: PerClassAccuracy = { split, classNames, values: {} };
    for (const role of ROLES) {
      const set = outputs[role]?.[split];
      if (!set) continue;
      values.set(`acc.${split}`, role, accuracy(set.logits, set.labels, k));
      table.values[role] = perClassAccuracy(set.logits, set.labels, k);
    }
    if (Object.keys(table.values).length > 0) tables.push(table);
  }
  return tables;
}

/** Only when F holds whole classes (classes absent from R); needs every model's test outputs. */
function classForgetting(outputs: Outputs, labels: MetricsInput['labels'], k: number, values: MetricValues): void {
  if (!labels.forget || !labels.retain) return;
  const classes = forgottenClasses(labels.forget, labels.retain);
  if (classes.length === 0) return;
  const forgottenAccuracy: Partial<Record<ModelRole, number>> = {};
  for (const role of ROLES) {
    const test = outputs[role]?.test;
    if (!test) continue;
    const forgotten = accuracyOnClasses(test.logits, test.labels, k, classes, true);
    const remaining = accuracyOnClasses(test.logits, test.labels, k, classes, false);
    if (forgotten !== null) values.set('mnemonic.forgotten', role, (forgottenAccuracy[role] = forgotten));
    if (remaining !== null) values.set('mnemonic.remaining', role, remaining);
  }
  const before = forgottenAccuracy.original;
  if (before === undefined || before === 0) return; // nothing to forget relative to
  for (const role of ['unlearned', 'reference'] as const) {
    const after = forgottenAccuracy[role];
    if (after !== undefined) values.set('mnemonic.ef', role, forgettingEfficacy(before, after));
  }
}

function membershipInference(outputs: Outputs, k: number, options: MetricsOptions, values: MetricValues): void {
  for (const role of ROLES) {
    const sets = outputs[role];
    const { forget, retain, test, validation } = sets ?? {};
    if (!forget || !retain || !test) continue;
    const entropy = (s: SetOutputs) => rowEntropies(s.probs, k);
    const nonMembers = validation ? concat(entropy(test), entropy(validation)) : entropy(test);
    const mia = entropyMia({ forget: entropy(forget), members: entropy(retain), nonMembers }, { C: options.miaLogisticC });
    values.set('mia.entropy', role, mia.value);

    const confidence = (s: SetOutputs) => trueClassProbabilities(s.probs, s.labels, k);
    const svc = confidenceMiaEfficacy(
      { forget: confidence(forget), retain: confidence(retain), test: confidence(test) },
      { seed: options.seed ?? 0, maxPerSide: options.svcMaxPerSide },
    );
    values.set('mia.svc', role, svc.value);
  }
}

/** Metric ids behind each score of the two average-gap definitions. */
const LOTUS_GAP_IDS = { mia: 'mia.entropy', accForget: 'acc.forget', accRetain: 'acc.retain', accTest: 'acc.test' } as const;
const SALUN_GAP_IDS = { miaEfficacy: 'mia.svc', accForget: 'acc.forget', accRetain: 'acc.retain', accTest: 'acc.test' } as const;

function gaps(options: MetricsOptions, values: MetricValues): void {
  const lotusReference = scoresOf(values, 'reference', LOTUS_GAP_IDS);
  const salunReference = scoresOf(values, 'reference', SALUN_GAP_IDS);
  for (const role of ROLES) {
    const lotus = scoresOf(values, role, LOTUS_GAP_IDS);
    if (lotus && lotusReference) values.set('gap.lotus', role, lotusAverageGap(lotus, lotusReference, options.roundLikeLotus));
    const salun = scoresOf(values, role, SALUN_GAP_IDS);
    if (salun && salunReference) values.set('gap.salun', role, salunAverageGap(salun, salunReference));
  }
}

/** The named scores of one model, or undefined if any of them was not computed. */
function scoresOf<Key extends string>(values: MetricValues, role: ModelRole, ids: Record<Key, string>): Record<Key, number> | undefined {
  const scores = {} as Record<Key, number>;
  for (const key of Object.keys(ids) as Key[]) {
    const v = values.get(ids[key], role);
    if (v === undefined) return undefined;
    scores[key] = v;
  }
  return scores;
}

function divergences(outputs: Outputs, k: number, values: MetricValues): void {
  const reference = outputs.reference?.forget;
  if (!reference) return;
  for (const role of ['original', 'unlearned'] as const) {
    const forget = outputs[role]?.forget;
    if (!forget) continue;
    values.set('jsd.lotus', role, LOTUS_TABLE_SCALE * lotusJsd(forget.probs, reference.probs, k));
    values.set('jsd.mean', role, meanJsd(forget.probs, reference.probs, k));
  }
}

function retrainFreeDivergences(outputs: Outputs, k: number, values: MetricValues): void {
  const originalTest = outputs.original?.test;
  if (!originalTest) return;
  for (const role of ROLES) {
    const forget = outputs[role]?.forget;
    if (forget) values.set('rfjsd.lotus', role, LOTUS_TABLE_SCALE * rfJsd(forget, originalTest, k));
  }
}

/** Sets the KLoM summaries and returns the per-example values, for the report's KLoM histograms. */
function klom(input: KlomInput, options: KlomOptions | undefined, values: MetricValues): KlomValues[] {
  const perExample: KlomValues[] = [];
  for (const role of ROLES) {
    for (const split of SPLITS) {
      const models = input.models[role]?.[split];
      const oracle = input.oracle[split];
      if (!models || !oracle) continue;
      const klom = klomPerExample(models, oracle, options);
      const summary = summariseKlom(klom);
      for (const stat of Object.keys(summary) as KlomStat[]) values.set(klomMetricId(split, stat), role, summary[stat]);
      perExample.push({ role, split, values: klom });
    }
  }
  return perExample;
}

function cost(timing: TimingInput, values: MetricValues): void {
  const { unlearnSeconds, referenceSeconds, unlearnExampleGradients, referenceExampleGradients } = timing;
  if (unlearnSeconds !== undefined) values.set('cost.seconds', 'unlearned', unlearnSeconds);
  if (referenceSeconds !== undefined) values.set('cost.seconds', 'reference', referenceSeconds);
  if (unlearnSeconds !== undefined && referenceSeconds !== undefined) {
    values.set('cost.speedup', 'unlearned', speedup(referenceSeconds, unlearnSeconds));
  }
  if (unlearnExampleGradients !== undefined && referenceExampleGradients !== undefined) {
    values.set('cost.fraction', 'unlearned', costFraction(unlearnExampleGradients, referenceExampleGradients));
  }
}

