/**
 * The reference: parameter trajectories of torch.optim itself (test/fixtures/torch_optim.py, PyTorch
 * 1.13, float32), 6 steps with a changing learning rate over 37 entries. The kernels do PyTorch's
 * float32 operations in PyTorch's order; PyTorch may fuse a multiply-add where WebAssembly rounds
 * twice, so entries may differ by a few roundings at the scale of the values involved (an entry that
 * cancels to near zero keeps the absolute error of its operands). A wrong rule is off by ~lr·g ≈ 1e-2.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createOptimizer, type OptimizerSpec } from '../../../src/engine/train/optim';

interface Reference {
  lrs: number[];
  init: number[];
  grads: number[][];
  cases: { title: string; spec: OptimizerSpec; final: number[] }[];
}

const ref = JSON.parse(readFileSync(join(__dirname, '..', '..', 'fixtures', 'torch-optim.json'), 'utf8')) as Reference;

/** One float32 rounding step (unit in the last place) at magnitude x. */
const ulp = (x: number): number => 2 ** (Math.floor(Math.log2(x)) - 23);
const scale = Math.max(...ref.init.map(Math.abs));

describe('optimisers follow torch.optim to float32 rounding', () => {
  for (const c of ref.cases) {
    it(c.title, () => {
      const opt = createOptimizer(c.spec, new Map([['w', Float32Array.from(ref.init)]]));
      ref.grads.forEach((g, i) => opt.step(new Map([['w', Float32Array.from(g)]]), ref.lrs[i]));
      const w = opt.params.get('w')!;
      const worst = Math.max(...c.final.map((v, i) => Math.abs(w[i] - v)));
      expect(worst).toBeLessThanOrEqual(4 * ulp(scale));
      expect(Math.max(...c.final.map((v, i) => Math.abs(v - ref.init[i])))).toBeGreaterThan(0.05);
    });
  }
});
