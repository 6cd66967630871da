/** Predictor: batched logits equal onnxruntime run directly on the fixture, whatever the batching. */
import { describe, expect, it } from 'vitest';
import { Predictor } from '../../../src/engine/runtime/predict';
import { LetheError } from '../../../src/engine/util/errors';
import { CLASSES, directLogits, EXAMPLE_SIZE, fixtureModel, maxAbsDiff, seededBatch } from './fixtureModels';

async function predict(name: string, x: Float32Array, n: number, batchSize: number): Promise<Float32Array> {
  const predictor = await Predictor.create(await fixtureModel(name), { batchSize, threads: 1 });
  try {
    return await predictor.logits(x, n);
  } finally {
    predictor.release();
  }
}

describe('Predictor', () => {
  it.each([
    ['fmnist-mlp', 37, 16],
    ['fmnist-mlp', 16, 16],
    ['fmnist-mlp', 3, 512],
    ['fmnist-cnn', 9, 4],
  ])('%s: %i examples in batches of %i (tail padded) give the direct run\'s logits', async (name, n, batchSize) => {
    const { x } = seededBatch(n, n);
    const logits = await predict(name, x, n, batchSize);
    expect(logits.length).toBe(n * CLASSES);
    expect(maxAbsDiff(logits, await directLogits(name, x, n))).toBeLessThan(1e-5);
  });

  it('reads only the first n examples of a longer array', async () => {
    const { x } = seededBatch(10, 3);
    const logits = await predict('fmnist-mlp', x, 4, 8);
    expect(maxAbsDiff(logits, await directLogits('fmnist-mlp', x, 4))).toBeLessThan(1e-5);
  });

  it('runs a model exported with a fixed batch size in batches of that size', async () => {
    const model = await fixtureModel('fmnist-mlp');
    model.graph.inputs[0].shape = [4, 1, 28, 28];
    // Asked for 64, it must feed [4, …] tensors: onnxruntime refuses any other batch for this graph.
    const predictor = await Predictor.create(model, { batchSize: 64, threads: 1 });
    try {
      const { x } = seededBatch(10, 4);
      expect(maxAbsDiff(await predictor.logits(x, 10), await directLogits('fmnist-mlp', x, 10))).toBeLessThan(1e-5);
    } finally {
      predictor.release();
    }
  });

  it('gives no logits for no examples', async () => {
    expect(await predict('fmnist-mlp', new Float32Array(0), 0, 8)).toEqual(new Float32Array(0));
  });

  it('refuses fewer values than n examples need', async () => {
    const predictor = await Predictor.create(await fixtureModel('fmnist-mlp'), { batchSize: 8, threads: 1 });
    try {
      await expect(predictor.logits(new Float32Array(2 * EXAMPLE_SIZE), 3)).rejects.toThrow(`3 examples need ${3 * EXAMPLE_SIZE} values, got ${2 * EXAMPLE_SIZE}`);
    } finally {
      predictor.release();
      predictor.release(); // a second release does nothing
    }
  });

  it('refuses models it cannot batch: several data inputs, or a symbolic dimension past the batch axis', async () => {
    const two = await fixtureModel('fmnist-mlp');
    two.graph.inputs.push({ name: 'extra', elemType: 1, shape: ['batch', 3] });
    await expect(Predictor.create(two)).rejects.toThrow(LetheError);
    await expect(Predictor.create(two)).rejects.toThrow('expected one data input, found 2');
    const symbolic = await fixtureModel('fmnist-mlp');
    symbolic.graph.inputs[0].shape = ['batch', 1, 'height', 28];
    await expect(Predictor.create(symbolic)).rejects.toThrow('input "input" must have a static shape apart from the batch axis, found [batch, 1, height, 28]');
  });
});
