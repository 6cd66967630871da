/** Test helpers: write TF.js models to disk as model.json + shards, read them back into TF.js, run IR models on onnxruntime. */
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { Model } from '../../../src/engine/graph/ir';
import { encodeModel } from '../../../src/engine/onnx/write';
import { Rng } from '../../../src/engine/util/rng';

export { tf };

export const tempDir = (): Promise<string> => mkdtemp(join(tmpdir(), 'lethe-tfjs-'));

/** Saves `model` into `dir` as model.json plus `shards` binary files, the way tfjs-converter lays them out. */
export async function saveToDir(model: tf.LayersModel, dir: string, shards = 1): Promise<string> {
  let written: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      written = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const a = written!;
  const data = new Uint8Array(Array.isArray(a.weightData) ? tf.io.concatenateArrayBuffers(a.weightData) : a.weightData!);
  const cut = (i: number): number => Math.round((data.length * i) / shards / 4) * 4;
  const paths: string[] = [];
  for (let i = 0; i < shards; i++) {
    paths.push(`group1-shard${i + 1}of${shards}.bin`);
    await writeFile(join(dir, paths[i]), data.slice(cut(i), cut(i + 1)));
  }
  const json = { modelTopology: a.modelTopology, format: a.format, generatedBy: a.generatedBy, convertedBy: null, weightsManifest: [{ paths, weights: a.weightSpecs }] };
  const file = join(dir, 'model.json');
  await writeFile(file, JSON.stringify(json));
  return file;
}

/** Loads a model.json + shards from disk into TF.js (tfjs without tfjs-node has no file:// handler). */
export async function loadWithTf(modelJsonPath: string): Promise<tf.LayersModel> {
  const json = JSON.parse(await readFile(modelJsonPath, 'utf8'));
  const group = json.weightsManifest[0];
  const buffers = await Promise.all(group.paths.map((p: string) => readFile(join(dirname(modelJsonPath), p))));
  const bytes = Buffer.concat(buffers);
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: group.weights,
      weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    }),
  );
}

/** Gives every weight random values (positive for variances) so a test sees more than the default init. */
export function randomizeWeights(model: tf.LayersModel, seed: number): void {
  const rng = new Rng(seed);
  model.setWeights(
    model.weights.map((w) => {
      const positive = w.name.includes('moving_variance');
      const shape = w.shape as number[];
      const values = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () =>
        positive ? 0.5 + rng.uniform() : (rng.uniform() - 0.5) * 0.8,
      );
      return tf.tensor(values, shape);
    }),
  );
}

export function randomInput(shape: number[], seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.uniform());
}

export function predictWithTf(model: tf.LayersModel, input: Float32Array, shape: number[]): Float32Array {
  const out = model.predict(tf.tensor(input, shape)) as tf.Tensor;
  return out.dataSync() as Float32Array;
}

export async function runOnnx(model: Model, input: Float32Array, shape: number[]): Promise<{ data: Float32Array; dims: readonly number[] }> {
  const session = await ort.InferenceSession.create(encodeModel(model));
  try {
    const out = await session.run({ [model.graph.inputs[0].name]: new ort.Tensor('float32', input, shape) });
    const t = out[model.graph.outputs[0].name];
    return { data: t.data as Float32Array, dims: t.dims };
  } finally {
    await session.release();
  }
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
