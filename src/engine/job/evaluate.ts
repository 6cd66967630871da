/** Logits of a model on the evaluation sets of a job, computed in chunks so memory stays bounded. */
import type { Dataset } from '../data/types';
import type { Model } from '../graph/ir';
import type { LogitsBySplit, Split } from '../metrics/types';
import { Predictor } from '../runtime/predict';

/** Example indices per evaluation set, each into its own dataset. */
export interface EvalSets {
  forget: { ds: Dataset; idx: Int32Array };
  retain: { ds: Dataset; idx: Int32Array };
  test: { ds: Dataset; idx: Int32Array };
  validation: { ds: Dataset; idx: Int32Array };
}

const CHUNK = 4096;

export async function logitsOn(predictor: Predictor, ds: Dataset, idx: Int32Array, classes: number): Promise<Float32Array> {
  const width = ds.x.length / Math.max(ds.n, 1);
  const out = new Float32Array(idx.length * classes);
  const buf = new Float32Array(Math.min(CHUNK, idx.length) * width);
  for (let start = 0; start < idx.length; start += CHUNK) {
    const count = Math.min(CHUNK, idx.length - start);
    for (let i = 0; i < count; i++) {
      const row = idx[start + i];
      buf.set(ds.x.subarray(row * width, (row + 1) * width), i * width);
    }
    out.set(await predictor.logits(buf.subarray(0, count * width), count), start * classes);
  }
  return out;
}

export async function logitsBySplit(model: Model, sets: EvalSets, classes: number, threads: number): Promise<LogitsBySplit> {
  const predictor = await Predictor.create(model, { batchSize: 512, threads });
  try {
    const out: LogitsBySplit = {};
    for (const split of ['forget', 'retain', 'test', 'validation'] as Split[]) {
      const s = sets[split];
      if (s.idx.length > 0) out[split] = await logitsOn(predictor, s.ds, s.idx, classes);
    }
    return out;
  } finally {
    predictor.release();
  }
}

export function labelsOf(ds: Dataset, idx: Int32Array): Int32Array {
  const out = new Int32Array(idx.length);
  for (let i = 0; i < idx.length; i++) out[i] = ds.y[idx[i]];
  return out;
}
