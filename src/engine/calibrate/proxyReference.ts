/**
 * The reference every trial is judged against: the original's recipe retrained without the proxy (job/reference.ts),
 * cached by content hash next to the calibration file, so the shards of one calibration train it once between them
 * when they share a folder, and a rerun does not train it again.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { JobSpec } from '../contracts/jobSpec';
import type { TrainingRecipe } from '../contracts/recipe';
import type { Model } from '../graph/ir';
import { loadCheckpoint } from '../job/checkpoint';
import type { SharedContext } from '../job/methodContext';
import { referenceModels } from '../job/reference';
import type { Progress, Say } from '../job/reporting';
import { writeModelFile } from '../onnx/write';
import { writeFileAtomic } from '../util/atomic';
import type { Rng } from '../util/rng';

export interface ProxyReference {
  model: Model;
  /** The retrain's wall time (from the cache when it was not trained now): trial times are relative to it. */
  seconds: number;
  cached: boolean;
}

/** What decides the reference's bytes: the model, the data, the proxy, the recipe and the seed. */
export function referenceKey(parts: { model: string; data: string; proxy: string; recipe: TrainingRecipe; seed: number }): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}

export async function proxyReference(spec: JobSpec, shared: SharedContext, rng: Rng, cacheDir: string, key: string, progress: Progress, say: Say): Promise<ProxyReference> {
  const file = join(cacheDir, `reference-${key}.onnx`);
  const timing = join(cacheDir, `reference-${key}.json`);
  const seconds = await readFile(timing, 'utf8').then((t) => Number(JSON.parse(t).seconds), () => undefined);
  if (seconds !== undefined && Number.isFinite(seconds)) {
    const loaded = await loadCheckpoint(file).catch(() => undefined);
    if (loaded) {
      say('info', `proxy reference from the cache (${file}; retrained in ${seconds.toFixed(1)} s)`);
      return { model: loaded.model, seconds, cached: true };
    }
  }
  const reference = await referenceModels(spec, shared, rng, (p) => p, progress, say);
  const model = reference.trained!;
  await writeModelFile(file, model);
  // The timing last: a cache entry counts only once its model is complete.
  await writeFileAtomic(timing, JSON.stringify({ seconds: reference.seconds }) + '\n');
  return { model, seconds: reference.seconds!, cached: false };
}
