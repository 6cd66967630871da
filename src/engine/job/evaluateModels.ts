/**
 * The evaluation step: the original, unlearned and reference models' logits on each evaluation set, KLoM's
 * ensembles when the job asks for them, attribution before and after, and from these the report's metrics.
 */
import type { JobSpec } from '../contracts/jobSpec';
import type { AttributionEntry, ModelRole } from '../contracts/report';
import type { DatasetSplits } from '../data/types';
import type { UnlearningMethod } from '../methods/types';
import { computeMetrics, type KlomInput, type MetricsOutput } from '../metrics/compute';
import type { LogitsBySplit } from '../metrics/types';
import { sha256File } from '../report/provenance';
import { attributionBeforeAfter } from './attributionReport';
import { labelsOf, logitsBySplit, type EvalSets } from './evaluate';
import { klomEnsembles } from './klomEnsembles';
import type { SharedContext } from './methodContext';
import type { Reference } from './reference';
import type { Progress, Say } from './reporting';
import type { MethodOutcome } from './runMethod';

export interface Evaluated {
  spec: JobSpec;
  modelPath: string;
  data: DatasetSplits;
  context: SharedContext;
  /** The test split's evaluation indices (the rest of it is `context.validation`). */
  test: Int32Array;
  method?: UnlearningMethod;
  outcome?: MethodOutcome;
  reference: Reference;
  /** Where KLoM caches the models it trains. */
  klomCache: string;
}

export interface Evaluation {
  evaluation: MetricsOutput;
  attribution?: AttributionEntry[];
}

export async function evaluateModels(
  job: Evaluated,
  progress: Progress,
  say: Say,
  checkCancel: () => void,
): Promise<Evaluation> {
  const { spec, data, context, test, method, outcome, reference } = job;
  const { forget, retain, validation } = context;
  const classes = data.classNames.length;
  const sets: EvalSets = {
    forget: { ds: data.train, idx: forget },
    retain: { ds: data.train, idx: retain },
    test: { ds: data.test, idx: test },
    validation: { ds: data.test, idx: validation },
  };
  const logits: Partial<Record<ModelRole, LogitsBySplit>> = { original: await logitsBySplit(context.model, sets, classes, spec.threads) };
  if (outcome?.unlearned) logits.unlearned = await logitsBySplit(outcome.unlearned, sets, classes, spec.threads);
  if (outcome?.predicted) logits.unlearned = outcome.predicted;
  // Every reference model counts for the verdict: their spread is part of its noise (docs/verdict.md).
  const references: LogitsBySplit[] = [];
  for (const r of reference.models) references.push(await logitsBySplit(r, sets, classes, spec.threads));
  if (references[0]) logits.reference = references[0];
  checkCancel();
  let klom: KlomInput | undefined;
  if (method && spec.reference.klomModels > 0) {
    progress(0.84, `KLoM: ${spec.reference.klomModels} models per side`);
    klom = await klomEnsembles({
      spec,
      modelSha256: await sha256File(job.modelPath),
      data,
      method,
      context: { ...context, oracles: reference.models, log: (m) => say('debug', m) },
      sets,
      cacheRoot: job.klomCache,
      progress: (f, m) => progress(0.84 + 0.07 * f, `KLoM: ${m}`),
    });
  }
  let attribution: AttributionEntry[] | undefined;
  if (outcome?.unlearned && spec.evaluation.attribution) {
    attribution = await attributionBeforeAfter({
      original: context.model, unlearned: outcome.unlearned, train: data.train, test: data.test, forget, testIdx: test, seed: spec.seed, threads: spec.threads, signal: context.signal,
      progress: (f, m) => progress(0.91 + 0.01 * f, m),
    });
  }
  checkCancel();
  const evaluation = computeMetrics({
    klom,
    logits,
    references,
    labels: { forget: labelsOf(data.train, forget), retain: labelsOf(data.train, retain), test: labelsOf(data.test, test), validation: labelsOf(data.test, validation) },
    classNames: data.classNames,
    options: { seed: spec.seed, include: { mia: spec.evaluation.mia, jsd: spec.evaluation.jsd, rfJsd: spec.evaluation.jsd } },
    timing: { unlearnSeconds: outcome?.seconds, referenceSeconds: reference.seconds, unlearnExampleGradients: outcome?.exampleGradients ?? 0, referenceExampleGradients: reference.exampleGradients },
  });
  return { evaluation, attribution };
}
