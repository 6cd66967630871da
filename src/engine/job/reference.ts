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
  const count = spec.reference.models;
  const models: Model[] = [];
  let first: { seconds: number; exampleGradients: number } | undefined;
  for (let i = 0; i < count; i++) {
    const label = count > 1 ? `retrain reference ${i + 1}/${count}` : 'retrain reference';
    progress(0.05 + (0.4 * i) / count, `Training the ${label}`);
    const t0 = performance.now();
    const result = await retrain.run({
      ...shared,
      validation: new Int32Array(0), // the oracle sees the retain set only, never the examples the metrics hold out
      params: resolveParams(retrain, {}),
      // The first reference draws from the job's stream as a single one always did; the others from forks of it.
      rng: i === 0 ? rng : rng.fork(),
      progress: (f, m) => progress(0.05 + (0.4 * (i + f)) / count, `${label[0].toUpperCase()}${label.slice(1)}: ${m}`),
      log: (m) => say('info', `reference: ${m}`),
    });
    const seconds = (performance.now() - t0) / 1000;
    say('info', `${label} finished in ${seconds.toFixed(1)} s`);
    models.push(result.model);
    first ??= { seconds, exampleGradients: result.exampleGradients };
  }
  if (count > 1) say('info', `${count} retrained references: the report compares with the first and the verdict's bands include their spread; only the first is written`);
  // Speed-ups compare the method with one retrain, the cost a user would otherwise pay.
  return { models, trained: models[0], seconds: first?.seconds, exampleGradients: first?.exampleGradients, loadedFrom: [] };
}
