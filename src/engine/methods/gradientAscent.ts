/**
 * Gradient ascent (GA): maximise cross-entropy on the forget set, θ ← θ + η∇CE_F (methods.md §2.6).
 * It has no target, so it over- or undershoots; the number of epochs is the stopping time. Defaults:
 * Unlearn-Sparse README (lr 1e-4, 5 epochs), its SGD momentum 0.9 and weight decay 5e-4.
 */
import { Trainer } from '../train/trainer';
import { requireNonEmpty } from './common/data';
import { constantWeights, scheduled, stepsPerPass, trainPass } from './common/loop';
import { readParams } from './common/params';
import * as P from './common/schema';
import type { MethodContext, MethodResult, ParamSchema, UnlearningMethod } from './types';

const params = {
  lr: P.lr(1e-4, 'Unlearn-Sparse README'),
  epochs: P.epochs(5, 'Unlearn-Sparse README'),
  batchSize: P.batchSize(256, 'SalUn / Unlearn-Sparse loaders'),
  momentum: P.momentum(0.9, 'Unlearn-Sparse'),
  weightDecay: P.weightDecay(5e-4, 'Unlearn-Sparse'),
} satisfies ParamSchema;

export const gradientAscent: UnlearningMethod = {
  name: 'gradient-ascent',
  title: 'Gradient ascent',
  citation: 'Thudi et al., "Unrolling SGD: Understanding Factors Influencing Machine Unlearning", EuroS&P 2022; Jia et al. (l1-sparse), NeurIPS 2023',
  summary: 'Runs SGD in the ascent direction of the cross-entropy on the forget set, pushing the model away from its forget-set predictions. Needs no retain data; the epoch count is the only brake.',
  needs: ['forget'],
  params,
  async run(ctx: MethodContext): Promise<MethodResult> {
    const p = readParams('gradient-ascent', params, ctx.params);
    requireNonEmpty(ctx.forget, 'forget', 'gradient-ascent');
    const trainer = new Trainer(ctx.model, {
      loss: [{ kind: 'ce' }],
      optimizer: { kind: 'sgd', momentum: p.momentum, weightDecay: p.weightDecay },
      threads: ctx.threads,
    });
    try {
      const total = stepsPerPass(ctx.forget.length, p.batchSize) * p.epochs;
      const lr = scheduled({ kind: 'constant', lr: p.lr }, total);
      for (let e = 0; e < p.epochs; e++) {
        // Weight −1 on every example: the optimiser descends −CE, i.e. ascends CE.
        const { meanLoss } = await trainPass({
          trainer, ds: ctx.train, indices: ctx.forget, batchSize: p.batchSize, rng: ctx.rng, lr: lr.next, signal: ctx.signal,
          extras: (_b, y) => ({ labels: y, weights: [constantWeights(y.length, -1)] }),
        });
        ctx.progress((e + 1) / p.epochs, `epoch ${e + 1}/${p.epochs}, forget loss ${(-meanLoss).toFixed(4)}`);
      }
      return { model: trainer.toModel(), exampleGradients: trainer.exampleGradients };
    } finally {
      trainer.release();
    }
  },
};

export default gradientAscent;
