/** Inference helpers the methods need between steps: logits of a model on some examples, and accuracy. */
import type { Dataset } from '../../data/types';
import type { Model } from '../../graph/ir';
import { accuracy } from '../../metrics/accuracy';
import { Predictor } from '../../runtime/predict';
import { gather } from './data';

const BATCH = 256;

/** Logits (n × K, row-major) of `model` on the examples given by raw inputs `x` (n rows). */
export async function logitsOf(model: Model, x: Float32Array, n: number, threads: number): Promise<Float32Array> {
  const predictor = await Predictor.create(model, { batchSize: BATCH, threads });
  try {
    return await predictor.logits(x, n);
  } finally {
    predictor.release();
  }
}

/** Logits of `model` on ds[indices]. */
export async function logitsOn(model: Model, ds: Dataset, indices: Int32Array, threads: number): Promise<Float32Array> {
  if (indices.length === 0) return new Float32Array(0);
  const { x } = gather(ds, indices);
  return logitsOf(model, x, indices.length, threads);
}

/** Top-1 accuracy of `model` on ds[indices] (0 for an empty set). */
export async function accuracyOn(model: Model, ds: Dataset, indices: Int32Array, threads: number): Promise<number> {
  if (indices.length === 0) return 0;
  const { x, y } = gather(ds, indices);
  const logits = await logitsOf(model, x, indices.length, threads);
  return accuracy(logits, y, ds.classNames.length);
}
