/**
 * Random Label (RL, "amnesiac" unlearning): relabel every forget example at random and train on the relabelled
 * forget set and the retain set, so the model's memorised answers on F are overwritten while R keeps it
 * accurate (docs/methods.md §2.6). Each epoch draws fresh labels. Defaults: SalUn's RL (lr 0.01, 10 epochs,
 * SGD momentum 0.9, wd 5e-4, batch 256, forget pass then retain pass); labels "other" (≠ y) as
 * amnesiac/LoTUS, "uniform" (may equal y) as SalUn.
 *
 * `randomLabelTraining` is shared with SalUn, which is RL with a saliency mask.
 */
import { z } from 'zod';
import type { Mask } from '../train/optim';
import type { Rng } from '../util/rng';
import { concat, numClasses, randomOtherLabel } from './common/data';
import { scheduled, stepsPerPass, trainPass } from './common/loop';
import type { Params } from './common/params';
import { fineTuneBudget, SALUN_ORIGINAL } from './common/budget';
import { crossEntropyTraining, trainedResult, withTrainer } from './common/trainer';
import * as P from './common/trainingParams';
import { defineMethod } from './define';
import type { CostInput, MethodContext, MethodResult } from './types';

type LabelMode = 'other' | 'uniform';

/** How forget examples are relabelled; SalUn defaults to "uniform", the others to "other". */
export const labelsParam = (value: LabelMode) =>
  z.enum(['other', 'uniform']).default(value).describe('"other": a random label different from the true one (amnesiac, LoTUS). "uniform": any of the K labels (SalUn).');

export const randomLabelParams = {
  optimizer: P.optimizer('sgd', 'SalUn, LoTUS'),
  lr: P.lr(0.01, 'SalUn RL'),
  epochs: P.epochs(10, 'SalUn, LoTUS'),
  batchSize: P.batchSize(256, 'SalUn'),
  momentum: P.momentum(0.9, 'SalUn, LoTUS'),
  weightDecay: P.weightDecay(5e-4, 'SalUn, LoTUS'),
  labels: labelsParam('other'),
  order: z.enum(['sequential', 'shuffled']).default('sequential').describe('"sequential": a forget pass then a retain pass per epoch (SalUn CIFAR-10, LoTUS). "shuffled": one pass over both, mixed (SalUn CIFAR-100).'),
};

/** SalUn's RL runs 10 epochs at lr 0.01 after its 182-epoch lr-0.1 original, with its optimiser and batch (docs/methods.md §2.7); SalUn shares it. */
export const randomLabelBudget = fineTuneBudget(SALUN_ORIGINAL, { epochs: 10, lr: 0.01 });

/** One pass over the forget set and one over the retain set per epoch, in either order. */
export const randomLabelCost = (p: { epochs: number }, n: CostInput) => p.epochs * (n.forget + n.retain);

export type RandomLabelOptions = Params<typeof randomLabelParams> & { masks?: ReadonlyMap<string, Mask> };

/** Random-label training of ctx.model (masks, when given, freeze their 0 entries through the optimiser). */
export async function randomLabelTraining(ctx: MethodContext, o: RandomLabelOptions): Promise<MethodResult> {
  const k = numClasses(ctx);
  return withTrainer(ctx.model, crossEntropyTraining(o, ctx.threads, o.masks), async (trainer) => {
    const relabel = new Int32Array(ctx.train.n).fill(-1); // -1: keep the true label
    const labelsOf = (batch: Int32Array, y: Int32Array) => {
      const out = Int32Array.from(y);
      for (let i = 0; i < batch.length; i++) if (relabel[batch[i]] >= 0) out[i] = relabel[batch[i]];
      return { labels: out };
    };
    const both = concat(ctx.forget, ctx.retain);
    const perEpoch = o.order === 'sequential'
      ? stepsPerPass(ctx.forget.length, o.batchSize) + stepsPerPass(ctx.retain.length, o.batchSize)
      : stepsPerPass(both.length, o.batchSize);
    const lr = scheduled({ kind: 'constant', lr: o.lr }, perEpoch * o.epochs);
    for (let e = 0; e < o.epochs; e++) {
      drawLabels(ctx, relabel, k, o.labels, ctx.rng);
      const pass = { trainer, ds: ctx.train, batchSize: o.batchSize, rng: ctx.rng, lr: lr.next, signal: ctx.signal, extras: labelsOf };
      if (o.order === 'sequential') {
        await trainPass({ ...pass, indices: ctx.forget });
        await trainPass({ ...pass, indices: ctx.retain });
      } else {
        await trainPass({ ...pass, indices: both });
      }
      ctx.progress((e + 1) / o.epochs, `epoch ${e + 1}/${o.epochs}`);
    }
    return trainedResult(trainer);
  });
}

function drawLabels(ctx: MethodContext, relabel: Int32Array, k: number, mode: LabelMode, rng: Rng): void {
  for (const i of ctx.forget) relabel[i] = mode === 'other' ? randomOtherLabel(ctx.train.y[i], k, rng) : rng.int(k);
}

export const randomLabel = defineMethod({
  name: 'random-label',
  title: 'Random Label',
  citation: 'Graves, Nagisetty, Ganesh, "Amnesiac Machine Learning", AAAI 2021; as run in Fan et al. (SalUn), ICLR 2024',
  summary: 'Gives every forget example a random label (redrawn each epoch) and trains on the relabelled forget set together with the retain set, overwriting what the model memorised about the forget set.',
  needs: ['forget', 'retain'],
  params: randomLabelParams,
  budget: randomLabelBudget,
  cost: randomLabelCost,
  run: randomLabelTraining,
});
