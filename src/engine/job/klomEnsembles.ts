/**
 * KLoM's model ensembles (docs/methods.md §3.6): N originals trained from fresh inits on the full training split,
 * N oracles trained on the retain set, and the method run once on each original. Each trained model is
 * cached under the output folder, keyed by everything that determines it, so an interrupted or repeated
 * job resumes instead of retraining.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DatasetSplits } from '../data/types';
import type { Model } from '../graph/ir';
import type { KlomInput } from '../metrics/compute';
import { marginEnsemble } from '../metrics/klom';
import type { Split } from '../metrics/types';
import { requireModelMethod } from '../methods/registry';
import type { MethodContext, UnlearningMethod } from '../methods/types';
import { readModelFile } from '../onnx/read';
import { writeModelFile } from '../onnx/write';
import { freshModel } from '../train/init';
import { trainSupervised } from '../train/supervised';
import { sweepTempFiles } from '../util/atomic';
import { LetheError } from '../util/errors';
import { Rng } from '../util/rng';
import { labelsOf, logitsBySplit, type EvalSets } from './evaluate';
import type { JobSpec } from '../contracts/jobSpec';

export interface KlomJob {
  spec: JobSpec;
  modelSha256: string;
  data: DatasetSplits;
  method: UnlearningMethod;
  /** The job's method context: its model is the architecture trained from scratch, its split the ensembles' data; each method run gets its own model and `rng`. */
  context: Omit<MethodContext, 'rng' | 'progress'>;
  sets: EvalSets;
  cacheRoot: string;
  progress(fraction: number, message: string): void;
}

const KLOM_SPLITS: Split[] = ['forget', 'retain', 'validation'];

export async function klomEnsembles(job: KlomJob): Promise<KlomInput> {
  const n = job.spec.reference.klomModels;
  const classes = job.data.classNames.length;
  const all = new Int32Array(job.data.train.n).map((_, i) => i);
  const cache = join(job.cacheRoot, cacheKey(job));
  await sweepTempFiles(cache); // half-written models of a killed earlier run
  const total = 3 * n;
  let done = 0;
  const step = (what: string) => job.progress(done++ / total, what);

  const originals: Model[] = [];
  const oracles: Model[] = [];
  const unlearned: Model[] = [];
  for (let i = 0; i < n; i++) {
    step(`original ${i + 1}/${n}`);
    originals.push(await cached(join(cache, `original-${i}.onnx`), () => trainFromScratch(job, all, 1_000 + i)));
    step(`oracle ${i + 1}/${n}`);
    oracles.push(await cached(join(cache, `oracle-${i}.onnx`), () => trainFromScratch(job, job.context.retain, 2_000 + i)));
    step(`unlearning original ${i + 1}/${n}`);
    unlearned.push(
      await cached(join(cache, `unlearned-${job.method.name}-${paramsKey(job)}-${i}.onnx`), async () => {
        if (job.context.signal?.aborted) throw new LetheError('the job was cancelled');
        return (await requireModelMethod(job.method).run({ ...job.context, model: originals[i], rng: new Rng(job.spec.seed * 7919 + 3_000 + i), progress: () => undefined })).model;
      }),
    );
  }

  const ensemble = async (models: Model[]) => {
    const perSplit: Partial<Record<Split, Float32Array[]>> = {};
    for (const m of models) {
      const logits = await logitsBySplit(m, job.sets, classes, job.spec.threads);
      for (const s of KLOM_SPLITS) if (logits[s]) (perSplit[s] ??= []).push(logits[s]);
    }
    return Object.fromEntries(
      KLOM_SPLITS.filter((s) => perSplit[s]).map((s) => [s, marginEnsemble(perSplit[s]!, labelsOf(job.sets[s].ds, job.sets[s].idx), classes)]),
    ) as KlomInput['oracle'];
  };
  return { oracle: await ensemble(oracles), models: { unlearned: await ensemble(unlearned), original: await ensemble(originals) } };
}

async function trainFromScratch(job: KlomJob, indices: Int32Array, seedOffset: number): Promise<Model> {
  const rng = new Rng(job.spec.seed * 7919 + seedOffset);
  const { model } = await trainSupervised(freshModel(job.context.model, rng.fork()), job.data.train, indices, {
    recipe: job.context.recipe,
    rng,
    threads: job.spec.threads,
    signal: job.context.signal,
  });
  return model;
}

/** Load a cached model, or train it and cache it (written atomically, so a killed run never leaves half a file). */
async function cached(file: string, make: () => Promise<Model>): Promise<Model> {
  if (existsSync(file)) return readModelFile(file);
  const model = await make();
  await writeModelFile(file, model);
  return model;
}

/** Everything that determines the originals and oracles: architecture + weights file, data, forget set, recipe, seed. */
function cacheKey(job: KlomJob): string {
  const h = createHash('sha256');
  h.update(job.modelSha256);
  h.update(JSON.stringify(job.context.recipe));
  h.update(String(job.spec.seed));
  h.update(job.data.path);
  h.update(String(job.data.train.n));
  const { forget } = job.context;
  h.update(Buffer.from(forget.buffer, forget.byteOffset, forget.byteLength));
  return h.digest('hex').slice(0, 16);
}

function paramsKey(job: KlomJob): string {
  return createHash('sha256').update(JSON.stringify(job.context.params)).digest('hex').slice(0, 8);
}
