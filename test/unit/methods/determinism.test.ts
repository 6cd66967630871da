import { beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../../src/engine/data/types';
import type { Model } from '../../../src/engine/graph/ir';
import { getModelMethod } from '../../../src/engine/methods/registry';
import { Rng } from '../../../src/engine/util/rng';
import { context, params, smallForgetSetting } from './helpers';

// Stochastic methods (shuffles, Gumbel noise, random labels, fresh inits, Gaussian noise) repeat bit for bit
// from the same seed, and differ with another seed.
const CASES: [string, Record<string, number | string>][] = [
  ['lotus', { epochs: 2, lr: 1e-3, batchSize: 64 }],
  ['random-label', { epochs: 1, lr: 0.01, batchSize: 64 }],
  ['fisher', { alpha: 1e-6, batchSize: 128 }],
  ['del', { epochs: 1, lr: 0.01, batchSize: 64 }],
  ['unsir', { batchSize: 64, impairLr: 1e-3, repairLr: 1e-3 }],
];

describe('determinism given ctx.rng', () => {
  let model: Model;
  let train: Dataset;
  let test: Dataset;
  let forget: Int32Array;
  let retain: Int32Array;
  beforeAll(async () => {
    ({ model, train, test, forget, retain } = await smallForgetSetting());
  });

  for (const [name, p] of CASES) {
    it(name, async () => {
      const run = (seed: number) => getModelMethod(name).run(context({ model, train, test, forget, retain, validation: Int32Array.from({ length: 100 }, (_, i) => i), params: p, rng: new Rng(seed) }));
      const a = params((await run(1)).model);
      const b = params((await run(1)).model);
      const c = params((await run(2)).model);
      for (const [k, v] of a) expect(b.get(k), k).toEqual(v);
      expect([...a].some(([k, v]) => !c.get(k)!.every((x, i) => x === v[i]))).toBe(true);
    });
  }
});
