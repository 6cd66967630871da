/**
 * Finetune (FT): keep training θ₀ with cross-entropy on the retain set only, relying on catastrophic
 * forgetting to wash out F (docs/methods.md §2.6). Defaults: the SalUn / l1-sparse README (lr 0.01, 10 epochs),
 * SGD momentum 0.9 and weight decay 5e-4 as in LoTUS and SalUn, batch 256 as SalUn.
 */
import { z } from 'zod';
import { trainSupervised } from '../train/supervised';
import { fineTuneBudget, SALUN_ORIGINAL } from './common/budget';
import * as P from './common/trainingParams';
import { defineMethod } from './define';

export const finetune = defineMethod({
  name: 'finetune',
  title: 'Finetune',
  citation: 'Warnecke et al., "Machine Unlearning of Features and Labels", NDSS 2023; baseline as in Fan et al. (SalUn), ICLR 2024',
  summary: 'Continues training the original model with cross-entropy on the retain set only; the forget set is never shown, so its influence fades by catastrophic forgetting.',
  needs: ['retain'],
  params: {
    optimizer: P.optimizer('sgd', 'SalUn, LoTUS'),
    lr: P.lr(0.01, 'SalUn / l1-sparse README'),
    epochs: P.epochs(10, 'SalUn / l1-sparse README; LoTUS also uses 10'),
    batchSize: P.batchSize(256, 'SalUn'),
    momentum: P.momentum(0.9, 'LoTUS, SalUn'),
    weightDecay: P.weightDecay(5e-4, 'LoTUS, SalUn'),
    schedule: z.enum(['constant', 'cosine']).default('constant').describe('Learning-rate schedule: constant (SalUn, LoTUS) or cosine to 0 (as DEL fine-tunes).'),
  },
  // SalUn fine-tunes 10 epochs at lr 0.01 after a 182-epoch lr-0.1 original, with its optimiser and batch (docs/methods.md §2.7).
  budget: fineTuneBudget(SALUN_ORIGINAL, { epochs: 10, lr: 0.01 }),
  cost: (p, n) => p.epochs * n.retain,
  async run(ctx, p) {
    const { model, exampleGradients } = await trainSupervised(ctx.model, ctx.train, ctx.retain, {
      recipe: { epochs: p.epochs, batchSize: p.batchSize, optimizer: p.optimizer, lr: p.lr, momentum: p.momentum, weightDecay: p.weightDecay, schedule: p.schedule },
      rng: ctx.rng,
      threads: ctx.threads,
      signal: ctx.signal,
      progress: ctx.progress,
    });
    return { model, exampleGradients };
  },
});
