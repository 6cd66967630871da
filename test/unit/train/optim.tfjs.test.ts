/**
 * An independent reference: TF.js's optimisers use the same update rules as PyTorch's for SGD with
 * (Nesterov) momentum, and for Adam up to where ε is added (TF: √v̂·√(1−β₂ᵗ) + ε; PyTorch: √v̂ + ε
 * after bias correction), which is far below float32 precision for ε = 1e-8 and gradients ≈ 1.
 * TF.js computes Adam's bias corrections in float32 (1 − 0.999 in float32 is off by 1.3e-5 relative),
 * so Adam agrees to about 1e-6 per step rather than to float32 rounding; a wrong rule is off by ≫ 1e-3.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createOptimizer, type OptimizerSpec } from '../../../src/engine/train/optim';
import { Rng } from '../../../src/engine/util/rng';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const N = 64;
const STEPS = 4;
const LR = 0.05;
let variables = 0;

function compare(spec: OptimizerSpec, tfOptimizer: tf.Optimizer, tolerance: number): void {
  const rng = new Rng(5);
  const init = Float32Array.from({ length: N }, () => rng.normal());
  const grads = Array.from({ length: STEPS }, () => Float32Array.from({ length: N }, () => rng.normal()));
  const opt = createOptimizer(spec, new Map([['w', init]]));
  const ours = opt.params.get('w')!;
  const name = `w${variables++}`;
  const variable = tf.variable(tf.tensor1d(init), true, name);
  try {
    for (const g of grads) {
      opt.step(new Map([['w', g]]), LR);
      tfOptimizer.applyGradients({ [name]: tf.tensor1d(g) });
    }
    const theirs = variable.dataSync();
    expect(maxDiff(ours, theirs)).toBeLessThan(tolerance);
    expect(maxDiff(ours, init)).toBeGreaterThan(0.05);
  } finally {
    variable.dispose();
    tfOptimizer.dispose();
  }
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('optimisers agree with TF.js', () => {
  it('SGD', () => compare({ kind: 'sgd' }, tf.train.sgd(LR), 1e-6));
  it('SGD with momentum', () => compare({ kind: 'sgd', momentum: 0.9 }, tf.train.momentum(LR, 0.9), 1e-6));
  it('SGD with Nesterov momentum', () => compare({ kind: 'sgd', momentum: 0.9, nesterov: true }, tf.train.momentum(LR, 0.9, true), 1e-6));
  it('Adam', () => compare({ kind: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-8 }, tf.train.adam(LR, 0.9, 0.999, 1e-8), 1e-5));
});
