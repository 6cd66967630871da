import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTfjsModel } from '../../../src/engine/tfjs/load';
import { saveTfjsModel, SHARD_NAME } from '../../../src/engine/tfjs/save';
import { loadWithTf, maxAbsDiff, predictWithTf, randomInput, randomizeWeights, runOnnx, saveToDir, tempDir, tf } from './helpers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function cnn(): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [6, 6, 2], filters: 3, kernelSize: [3, 2], padding: 'same', name: 'conv' }),
      tf.layers.batchNormalization({ name: 'bn' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 4, name: 'fc' }),
    ],
  });
}

describe('saveTfjsModel', () => {
  it('writes back modified weights: TF.js reads them in its own layout and predicts what the IR computes', async () => {
    const original = cnn();
    randomizeWeights(original, 3);
    const source = await saveToDir(original, await tempDir(), 2);
    const ir = await loadTfjsModel(source);

    // ONNX layout [out, in, kh, kw]: entry (o=2, i=1, h=2, w=0) is TF.js kernel[2, 0, 1, 2].
    const kernel = ir.graph.initializers.get('conv/kernel')!;
    const flatOnnx = ((2 * 2 + 1) * 3 + 2) * 2 + 0;
    (kernel.data as Float32Array)[flatOnnx] += 0.75;
    (ir.graph.initializers.get('bn/moving_mean')!.data as Float32Array)[1] = -0.25;
    (ir.graph.initializers.get('fc/bias')!.data as Float32Array)[3] = 2;

    const outDir = await tempDir();
    await saveTfjsModel(ir, source, outDir);
    expect((await readdir(outDir)).sort()).toEqual([SHARD_NAME, 'model.json']);

    const reloaded = await loadWithTf(join(outDir, 'model.json'));
    const byName = new Map(reloaded.weights.map((w) => [w.originalName, w.read().arraySync()]));
    const before = new Map(original.weights.map((w) => [w.originalName, w.read().arraySync()]));
    const k = byName.get('conv/kernel') as number[][][][];
    const k0 = before.get('conv/kernel') as number[][][][];
    expect(k[2][0][1][2]).toBeCloseTo(k0[2][0][1][2] + 0.75, 6);
    k0[2][0][1][2] = k[2][0][1][2];
    expect(k).toEqual(k0);
    expect((byName.get('bn/moving_mean') as number[])[1]).toBe(-0.25);
    expect((byName.get('fc/bias') as number[])[3]).toBe(2);
    expect(byName.get('fc/kernel')).toEqual(before.get('fc/kernel'));

    const input = randomInput([2, 6, 6, 2], 8);
    const fromTf = predictWithTf(reloaded, input, [2, 6, 6, 2]);
    const fromIr = await runOnnx(ir, input, [2, 6, 6, 2]);
    expect(maxAbsDiff(fromTf, fromIr.data)).toBeLessThan(1e-4);
    expect(maxAbsDiff(fromTf, predictWithTf(original, input, [2, 6, 6, 2]))).toBeGreaterThan(1e-3);
  });

  it('keeps the topology, every other key, and the weight names and order; a reload is bit-identical', async () => {
    const m = cnn();
    randomizeWeights(m, 4);
    const source = await saveToDir(m, await tempDir(), 3);
    const outDir = await tempDir();
    const ir = await loadTfjsModel(source);
    await saveTfjsModel(ir, source, outDir);
    const a = JSON.parse(await readFile(source, 'utf8'));
    const b = JSON.parse(await readFile(join(outDir, 'model.json'), 'utf8'));
    expect(b.modelTopology).toEqual(a.modelTopology);
    expect(b.generatedBy).toBe(a.generatedBy);
    expect(b.weightsManifest).toEqual([{ paths: [SHARD_NAME], weights: a.weightsManifest[0].weights }]);
    const again = await loadTfjsModel(join(outDir, 'model.json'));
    for (const [name, t] of ir.graph.initializers) {
      expect(new Uint32Array((again.graph.initializers.get(name)!.data as Float32Array).buffer)).toEqual(new Uint32Array((t.data as Float32Array).buffer));
    }
  });

  it('rejects a model whose weight no longer fits the declared shape, naming the initializer', async () => {
    const source = await saveToDir(cnn(), await tempDir());
    const ir = await loadTfjsModel(source);
    ir.graph.initializers.set('fc/bias', { name: 'fc/bias', dataType: 1, dims: [5], data: new Float32Array(5) });
    await expect(saveTfjsModel(ir, source, await tempDir())).rejects.toThrow(/initializer "fc\/bias".*\[5\].*\[4\]/);
  });
});
