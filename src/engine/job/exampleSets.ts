/** How a job divides its examples: forget and retain in the training split, validation and test in the test split. */
import { readForgetSet, requireSameDataset, resolveForgetSet } from '../data/forgetSet';
import type { Dataset, DatasetSplits, ForgetSplit } from '../data/types';
import type { JobSpec } from '../contracts/jobSpec';
import { LetheError } from '../util/errors';
import type { Rng } from '../util/rng';
import type { JobPath } from './jobPaths';

/** The forget set the job names and the rest of the training split; an audit without one keeps every example. */
export async function forgetRetain(spec: JobSpec, data: DatasetSplits, path: JobPath): Promise<ForgetSplit> {
  if (!spec.forget) {
    if (spec.kind === 'unlearn') throw new LetheError('an unlearning job needs a forget set ("forget": path to a *.forget.json)');
    const all = new Int32Array(data.train.n).map((_, i) => i);
    return { forget: new Int32Array(0), retain: all };
  }
  const file = path(spec.forget, 'forget set');
  const fs = await readForgetSet(file);
  await requireSameDataset(fs, file, data.path);
  return resolveForgetSet(fs, data.train, file);
}

/** A seeded share of the test split as unseen validation data; the test metrics use the rest. */
export function holdOutValidation(test: Dataset, fraction: number, rng: Rng): { validation: Int32Array; test: Int32Array } {
  const order = rng.permutation(test.n);
  const k = Math.round(test.n * fraction);
  return { validation: order.slice(0, k).sort(), test: order.slice(k).sort() };
}
