/**
 * The reference (retrain oracle) the report compares against and oracle-matching methods need: checkpoints the
 * job lists, else the original recipe retrained on the retain set, else none (no forget set, or retrain off).
 */
import type { JobSpec } from '../contracts/jobSpec';
import type { Model } from '../graph/ir';
import { getModelMethod, resolveParams } from '../methods/registry';
import type { Rng } from '../util/rng';
import { loadCheckpoint } from './checkpoint';
import type { JobPath } from './jobPaths';
import type { SharedContext } from './methodContext';
import type { Progress, Say } from './reporting';

export interface Reference {
  /** The oracles: the listed checkpoints, or the one retrained model. */
  models: Model[];
  /** The retrained model, written to the run folder. */
  trained?: Model;
  seconds?: number;
  exampleGradients?: number;
  /** The checkpoint files read, hashed into the provenance. */
  loadedFrom: string[];
}

export async function referenceModels(
  spec: JobSpec,
  shared: SharedContext,
  rng: Rng,
  path: JobPath,
  progress: Progress,
  say: Say,
): Promise<Reference> {
  if (spec.reference.checkpoints.length > 0) {
    const loadedFrom = spec.reference.checkpoints.map((c) => path(c, 'reference checkpoint'));
    const models = [];
    for (const f of loadedFrom) models.push((await loadCheckpoint(f)).model);
    return { models, loadedFrom };
  }
  if (!spec.reference.retrain || shared.forget.length === 0) return { models: [], loadedFrom: [] };
  const retrain = getModelMethod('retrain');
  progress(0.05, 'Training the retrain reference');
  const t0 = performance.now();
  const result = await retrain.run({
    ...shared,
    validation: new Int32Array(0), // the oracle sees the retain set only, never the examples the metrics hold out
    params: resolveParams(retrain, {}),
    rng,
    progress: (f, m) => progress(0.05 + 0.4 * f, `Retrain reference: ${m}`),
    log: (m) => say('info', `reference: ${m}`),
  });
  const seconds = (performance.now() - t0) / 1000;
  say('info', `retrain reference finished in ${seconds.toFixed(1)} s`);
  return { models: [result.model], trained: result.model, seconds, exampleGradients: result.exampleGradients, loadedFrom: [] };
}
