/**
 * Lethe IR → TF.js Layers model: the original model.json with its topology and every other key untouched,
 * and the weights (same names, same order, same shapes) rewritten into one shard from the IR's initializers.
 * Manifest weights the IR does not hold (e.g. saved optimizer state) keep their original values.
 */
import { join } from 'node:path';
import type { Model, Tensor } from '../graph/ir';
import { writeFileAtomic } from '../util/atomic';
import { LetheError } from '../util/errors';
import { parseTopology, readModelJson, type ModelJson } from './format';
import { CONV_KERNEL_CLASSES } from './layers';
import { concatBytes, convKernelToTfjs, readWeights, type WeightValue } from './weights';

export const SHARD_NAME = 'group1-shard1of1.bin';

export async function saveTfjsModel(model: Model, originalModelJsonPath: string, outDir: string): Promise<void> {
  const original = await readModelJson(originalModelJsonPath);
  const convKernels = new Set(
    parseTopology(original, originalModelJsonPath)
      .calls.filter((c) => CONV_KERNEL_CLASSES.has(c.layer.className))
      .map((c) => `${c.layer.name}/kernel`),
  );
  const originalWeights = await readWeights(original.weightsManifest, originalModelJsonPath);
  const specs = original.weightsManifest.flatMap((g) => g.weights);
  const parts = specs.map((spec) => {
    const t = model.graph.initializers.get(spec.name);
    const w = t ? fromIr(model, t, convKernels.has(spec.name)) : originalWeights.get(spec.name)!;
    if (w.dims.length !== spec.shape.length || w.dims.some((d, i) => d !== spec.shape[i])) {
      throw new LetheError(
        `the model's weight has shape [${w.dims.join(', ')}] in TF.js layout, but ${originalModelJsonPath} declares [${spec.shape.join(', ')}]`,
        model.file,
        `initializer "${spec.name}"`,
      );
    }
    return new Uint8Array(w.data.buffer, w.data.byteOffset, w.data.byteLength);
  });
  const json: ModelJson = {
    ...original,
    weightsManifest: [{ paths: [SHARD_NAME], weights: specs.map(({ name, shape, dtype }) => ({ name, shape, dtype })) }],
  };
  // The shard first: a model.json is never visible before the weights it points to.
  await writeFileAtomic(join(outDir, SHARD_NAME), concatBytes(parts));
  await writeFileAtomic(join(outDir, 'model.json'), JSON.stringify(json));
}

function fromIr(model: Model, t: Tensor, convKernel: boolean): WeightValue {
  if (!(t.data instanceof Float32Array)) {
    throw new LetheError(`data type ${t.dataType} cannot be saved as a TF.js float32 weight`, model.file, `initializer "${t.name}"`);
  }
  const w = { dims: t.dims, data: t.data };
  if (!convKernel) return w;
  if (w.dims.length !== 4) throw new LetheError(`a Conv2D kernel must have rank 4, got [${w.dims.join(', ')}]`, model.file, `initializer "${t.name}"`);
  return convKernelToTfjs(w);
}
