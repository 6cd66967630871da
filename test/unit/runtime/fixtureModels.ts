/** Shared by the runtime tests: fixture models, seeded inputs, and onnxruntime run directly on the fixture file. */
import * as ort from 'onnxruntime-node';
import { join } from 'node:path';
import type { Model } from '../../../src/engine/graph/ir';
import { readModelFile } from '../../../src/engine/onnx/read';
import { Rng } from '../../../src/engine/util/rng';
import { FIXTURES } from '../../fixtures/paths';

export const EXAMPLE_SIZE = 28 * 28;
export const CLASSES = 10;
export const MLP_PARAMS = ['net.1.weight', 'net.1.bias', 'net.3.weight', 'net.3.bias'];

export const fixtureFile = (name: string): string => join(FIXTURES, `${name}.onnx`);
export const fixtureModel = (name: string): Promise<Model> => readModelFile(fixtureFile(name));

/** n images of uniform [0, 1) pixels and labels 0..9, reproducible from the seed. */
export function seededBatch(n: number, seed: number): { x: Float32Array; labels: Int32Array } {
  const rng = new Rng(seed);
  return { x: Float32Array.from({ length: n * EXAMPLE_SIZE }, () => rng.uniform()), labels: Int32Array.from({ length: n }, () => rng.int(CLASSES)) };
}

/** The fixture's logits for all n examples in one run of a plain onnxruntime session on the file. */
export async function directLogits(name: string, x: Float32Array, n: number): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(fixtureFile(name));
  try {
    const out = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', x.slice(0, n * EXAMPLE_SIZE), [n, 1, 28, 28]) });
    return Float32Array.from(out[session.outputNames[0]].data as Float32Array);
  } finally {
    await session.release();
  }
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

/** Mean softmax cross-entropy of logits [n, K] and the gradient of its mean over the logits (softmax − one-hot) / n. */
export function crossEntropy(logits: ArrayLike<number>, labels: Int32Array): { loss: number; dLogits: Float64Array } {
  const n = labels.length;
  const k = logits.length / n;
  const dLogits = new Float64Array(n * k);
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const row = Array.from({ length: k }, (_, j) => logits[i * k + j]);
    const top = Math.max(...row);
    const sum = row.reduce((s, v) => s + Math.exp(v - top), 0);
    loss += (Math.log(sum) + top - row[labels[i]]) / n;
    row.forEach((v, j) => (dLogits[i * k + j] = (Math.exp(v - top) / sum - (j === labels[i] ? 1 : 0)) / n));
  }
  return { loss, dLogits };
}
