/** StepCache: one training step per batch size, built once, released together. */
import { describe, expect, it } from 'vitest';
import { StepCache } from '../../../src/engine/runtime/stepCache';
import { fixtureModel, seededBatch } from './fixtureModels';

describe('StepCache', () => {
  it('builds one step per batch size, reuses it, and builds anew after release', async () => {
    const model = await fixtureModel('fmnist-mlp');
    const cache = new StepCache({ model, loss: [{ kind: 'ce' }], params: ['net.3.bias'], trainMode: false, threads: 1 });
    const values = new Map([['net.3.bias', model.graph.initializers.get('net.3.bias')!.data as Float32Array]]);
    try {
      const full = await cache.get(4);
      const tail = await cache.get(3);
      expect(await cache.get(4)).toBe(full);
      expect(tail).not.toBe(full);
      // Each step is built for its own size: the tail step takes 3 examples and refuses 4.
      const batch = seededBatch(4, 21);
      expect((await full.run(values, batch)).logits.length).toBe(40);
      const three = { x: batch.x.subarray(0, 3 * 784), labels: batch.labels.subarray(0, 3) };
      expect((await tail.run(values, three)).logits.length).toBe(30);
      await expect(tail.run(values, batch)).rejects.toThrow('this step was built for 3');
      // The cached step carries the cache's options: the requested parameters' gradients only.
      expect([...(await tail.run(values, three)).grads.keys()]).toEqual(['net.3.bias']);
      cache.release();
      expect(await cache.get(4)).not.toBe(full);
    } finally {
      cache.release();
    }
  });
});
