/** perExampleGradients: each example's own cross-entropy gradient, in chunks, vectorised for dense layers or by single steps. */
import { describe, expect, it } from 'vitest';
import { perExampleGradients, type ExampleGradients } from '../../../src/engine/runtime/perExample';
import { LetheError } from '../../../src/engine/util/errors';
import { fixtureModel, seededBatch } from './fixtureModels';
import { mlpReference, relativeError } from './mlpReference';

async function collect(gen: AsyncGenerator<ExampleGradients>): Promise<ExampleGradients[]> {
  const out: ExampleGradients[] = [];
  for await (const c of gen) out.push(c);
  return out;
}

const PARAMS = ['net.3.weight', 'net.1.bias'];

describe('perExampleGradients', () => {
  it.each([[false], [true]])('gives each example the gradient of its own loss (single steps forced: %s)', async (forceSingle) => {
    const model = await fixtureModel('fmnist-mlp');
    const n = 5;
    const { x, labels } = seededBatch(n, 31);
    const chunks = await collect(perExampleGradients(model, x, labels, n, PARAMS, { chunk: 2, threads: 1, forceSingle }));
    expect(chunks.map((c) => [c.start, c.count])).toEqual([[0, 2], [2, 2], [4, 1]]);
    const total = 2560 + 256;
    for (const c of chunks) {
      expect(c.grads.length).toBe(c.count * total);
      for (let i = 0; i < c.count; i++) {
        const e = c.start + i;
        const ref = mlpReference(model, x.subarray(e * 784, (e + 1) * 784), labels.subarray(e, e + 1));
        const row = c.grads.subarray(i * total, (i + 1) * total);
        expect(relativeError(row.subarray(0, 2560), ref.grads.get('net.3.weight')!), `example ${e} net.3.weight`).toBeLessThan(1e-4);
        expect(relativeError(row.subarray(2560), ref.grads.get('net.1.bias')!), `example ${e} net.1.bias`).toBeLessThan(1e-4);
      }
    }
  });

  it('falls back to single steps for parameters outside dense layers (a convolution kernel)', async () => {
    const model = await fixtureModel('fmnist-cnn');
    const n = 3;
    const { x, labels } = seededBatch(n, 32);
    const params = ['f.0.bias', 'h.3.bias'];
    const [chunk] = await collect(perExampleGradients(model, x, labels, n, params, { chunk: 8, threads: 1 }));
    expect([chunk.start, chunk.count, chunk.grads.length]).toEqual([0, 3, 3 * 42]);
    // The output bias gradient of example i is softmax(z_i) − onehot(y_i): its entries sum to 0, and the label's is negative.
    for (let i = 0; i < n; i++) {
      const row = chunk.grads.subarray(i * 42 + 32, (i + 1) * 42);
      expect(Math.abs(row.reduce((s, v) => s + v, 0))).toBeLessThan(1e-5);
      expect(row[labels[i]]).toBeLessThan(0);
    }
  });

  it('differentiates at the values given instead of the initializers', async () => {
    const model = await fixtureModel('fmnist-mlp');
    const { x, labels } = seededBatch(2, 33);
    const w = (model.graph.initializers.get('net.3.weight')!.data as Float32Array).map((v) => -v);
    const values = new Map([['net.3.weight', w]]);
    const [chunk] = await collect(perExampleGradients(model, x, labels, 2, ['net.3.weight'], { threads: 1, values }));
    const ref = mlpReference(model, x.subarray(784, 1568), labels.subarray(1, 2), undefined, values);
    expect(relativeError(chunk.grads.subarray(2560), ref.grads.get('net.3.weight')!)).toBeLessThan(1e-4);
  });

  it('refuses too few labels and parameters that are not initializers', async () => {
    const model = await fixtureModel('fmnist-mlp');
    const { x, labels } = seededBatch(3, 34);
    await expect(collect(perExampleGradients(model, x, labels.subarray(0, 2), 3, PARAMS))).rejects.toThrow('3 examples need 3 labels, got 2');
    await expect(collect(perExampleGradients(model, x, labels, 3, ['logits']))).rejects.toThrow(LetheError);
    await expect(collect(perExampleGradients(model, x, labels, 3, ['logits']))).rejects.toThrow('"logits" is not an initializer of the model');
  });
});
