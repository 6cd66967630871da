/**
 * Gradient ascent (GA): maximise cross-entropy on the forget set, θ ← θ + η∇CE_F (docs/methods.md §2.6).
 * It has no target, so it over- or undershoots; the number of epochs is the stopping time. Defaults:
 * Unlearn-Sparse README (lr 1e-4, 5 epochs), its SGD momentum 0.9 and weight decay 5e-4.
 */
import { constantWeights, scheduled, stepsPerPass, trainPass } from './common/loop';
import { fineTuneBudget, SALUN_ORIGINAL } from './common/budget';
import { crossEntropyTraining, trainedResult, withTrainer } from './common/trainer';
import * as P from './common/trainingParams';
import { defineMethod } from './define';

export const gradientAscent = defineMethod({
  name: 'gradient-ascent',
  title: 'Gradient ascent',
  citation: 'Thudi et al., "Unrolling SGD: Understanding Factors Influencing Machine Unlearning", EuroS&P 2022; Jia et al. (l1-sparse), NeurIPS 2023',
  summary: 'Runs SGD in the ascent direction of the cross-entropy on the forget set, pushing the model away from its forget-set predictions. Needs no retain data; the epoch count is the only brake.',
  needs: ['forget'],
  params: {
    optimizer: P.optimizer('sgd', 'Unlearn-Sparse'),
    lr: P.lr(1e-4, 'Unlearn-Sparse README'),
    epochs: P.epochs(5, 'Unlearn-Sparse README'),
    batchSize: P.batchSize(256, 'SalUn / Unlearn-Sparse loaders'),
    momentum: P.momentum(0.9, 'Unlearn-Sparse'),
    weightDecay: P.weightDecay(5e-4, 'Unlearn-Sparse'),
  },
  // Unlearn-Sparse ascends 5 epochs at lr 1e-4 after its 182-epoch lr-0.1 original (docs/methods.md §2.7).
  budget: fineTuneBudget(SALUN_ORIGINAL, { epochs: 5, lr: 1e-4 }),
  cost: (p, n) => p.epochs * n.forget,
  async run(ctx, p) {
    return withTrainer(ctx.model, crossEntropyTraining(p, ctx.threads), async (trainer) => {
      const lr = scheduled({ kind: 'constant', lr: p.lr }, stepsPerPass(ctx.forget.length, p.batchSize) * p.epochs);
      for (let e = 0; e < p.epochs; e++) {
        // Weight −1 on every example: the optimiser descends −CE, i.e. ascends CE.
        const { meanLoss } = await trainPass({
          trainer, ds: ctx.train, indices: ctx.forget, batchSize: p.batchSize, rng: ctx.rng, lr: lr.next, signal: ctx.signal,
          extras: (_b, y) => ({ labels: y, weights: [constantWeights(y.length, -1)] }),
        });
        ctx.progress((e + 1) / p.epochs, `epoch ${e + 1}/${p.epochs}, forget loss ${(-meanLoss).toFixed(4)}`);
      }
      return trainedResult(trainer);
    });
  },
});
