/**
 * The method context, built once per job: the original model, the data and how it divides, the method's
 * parameters and the original's training recipe (resolved once, job/recipe.ts). Its three uses (the method, the retrain reference, the KLoM ensemble runs)
 * spread it and add their own random stream, progress and log, so they cannot disagree about the data.
 */
import type { JobSpec } from '../contracts/jobSpec';
import type { TrainingRecipe } from '../contracts/recipe';
import type { DatasetSplits, ForgetSplit } from '../data/types';
import type { Model } from '../graph/ir';
import type { MethodContext } from '../methods/types';

/** What the uses share; each adds `rng`, `progress` and `log`, and `oracles` once the reference exists. */
export type SharedContext = Omit<MethodContext, 'rng' | 'progress' | 'log' | 'oracles'>;

export function sharedContext(
  spec: JobSpec,
  recipe: TrainingRecipe,
  model: Model,
  data: DatasetSplits,
  split: ForgetSplit,
  validation: Int32Array,
  params: MethodContext['params'],
  signal?: AbortSignal,
): SharedContext {
  return { model, train: data.train, test: data.test, forget: split.forget, retain: split.retain, validation, params, recipe, threads: spec.threads, signal };
}
