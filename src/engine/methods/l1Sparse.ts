/**
 * l1-sparse (Jia et al., "Model Sparsity Can Simplify Machine Unlearning", NeurIPS 2023; docs/methods.md §2.6):
 * fine-tune on the retain set with CE + γ_e·‖θ‖₁, where γ_e = γ·(1 − e/E) decays linearly to 0 over the
 * epochs, so early epochs sparsify (which the paper shows eases forgetting) and late epochs recover accuracy.
 *
 * The L1 term is applied as its proximal step after each optimiser step, θ ← sign(θ)·max(|θ| − η·γ_e, 0),
 * because the shared trainer's loss graph has no parameter-norm term; the reference adds γ·sign(θ) to the
 * gradient before SGD momentum. Both minimise the same objective; the proximal form does not oscillate around 0.
 * Defaults: README lr 0.01 and 10 epochs, SGD momentum 0.9, wd 5e-4; γ = 7e-5 as DEL's baseline (the paper's
 * recommended γ is unverified, docs/methods.md §2.6).
 */
import { z } from 'zod';
import { scheduled, stepsPerPass, trainPass } from './common/loop';
import { fineTuneBudget, SALUN_ORIGINAL } from './common/budget';
import { crossEntropyTraining, trainedResult, withTrainer } from './common/trainer';
import * as P from './common/trainingParams';
import { defineMethod } from './define';

/** Soft-thresholding: the proximal operator of t·‖θ‖₁, in place. */
export function softThreshold(theta: Float32Array, t: number): void {
  if (t <= 0) return;
  for (let i = 0; i < theta.length; i++) {
    const v = theta[i];
    theta[i] = v > t ? v - t : v < -t ? v + t : 0;
  }
}

export const l1Sparse = defineMethod({
  name: 'l1-sparse',
  title: 'l1-sparse fine-tuning',
  citation: 'Jia, Liu, Ram, Yao, Liu, Liu, Sharma, Liu, "Model Sparsity Can Simplify Machine Unlearning", NeurIPS 2023',
  summary: 'Fine-tunes on the retain set with an L1 penalty on the weights whose strength decays linearly to zero: sparsifying the model first makes the forget set\'s influence easier to remove.',
  needs: ['retain'],
  params: {
    gamma: z.number().min(0).max(1).default(7e-5).describe('L1 strength γ at the first epoch, decayed linearly to 0 (DEL\'s baseline value 7e-5; "--alpha" in Unlearn-Sparse).'),
    optimizer: P.optimizer('sgd', 'Unlearn-Sparse'),
    lr: P.lr(0.01, 'Unlearn-Sparse README'),
    epochs: P.epochs(10, 'Unlearn-Sparse README'),
    batchSize: P.batchSize(256, 'Unlearn-Sparse loaders'),
    momentum: P.momentum(0.9, 'Unlearn-Sparse'),
    weightDecay: P.weightDecay(5e-4, 'Unlearn-Sparse'),
  },
  // The README fine-tunes 10 epochs at lr 0.01 after its 182-epoch lr-0.1 original (docs/methods.md §2.7).
  budget: fineTuneBudget(SALUN_ORIGINAL, { epochs: 10, lr: 0.01 }),
  cost: (p, n) => p.epochs * n.retain,
  async run(ctx, p) {
    return withTrainer(ctx.model, crossEntropyTraining(p, ctx.threads), async (trainer) => {
      const schedule = scheduled({ kind: 'constant', lr: p.lr }, stepsPerPass(ctx.retain.length, p.batchSize) * p.epochs);
      let lastLr = 0;
      const lr = () => (lastLr = schedule.next());
      for (let e = 0; e < p.epochs; e++) {
        const gamma = p.gamma * (1 - e / p.epochs);
        await trainPass({
          trainer, ds: ctx.train, indices: ctx.retain, batchSize: p.batchSize, rng: ctx.rng, lr, signal: ctx.signal,
          onStep: () => {
            for (const theta of trainer.params.values()) softThreshold(theta, lastLr * gamma);
          },
        });
        ctx.progress((e + 1) / p.epochs, `epoch ${e + 1}/${p.epochs}, γ ${gamma.toExponential(2)}`);
      }
      let zeros = 0;
      let total = 0;
      for (const theta of trainer.params.values()) {
        total += theta.length;
        for (const v of theta) if (v === 0) zeros++;
      }
      return trainedResult(trainer, [`${((100 * zeros) / total).toFixed(1)}% of parameter entries are exactly 0`]);
    });
  },
});
