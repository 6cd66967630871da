/**
 * NegGrad+ (Kurmanji et al., SCRUB paper): minimise β·CE_R − (1 − β)·CE_F on paired batches, one retain
 * batch with one forget batch (the forget loader cycles), so the descent on R holds utility while the ascent
 * on F forgets. β = 0.99 and a constant lr are DEL's settings; lr 0.01 and SGD momentum 0.9 / wd 5e-4 as
 * the finetune baseline.
 *
 * `reference: "lotus"` reproduces the LoTUS repository's NegGrad+ for comparison with its tables: a pass over
 * F then a pass over R, both plain descent, because its sign flip happens before backward and does nothing
 * (docs/methods.md §0). That is not NegGrad+; use it only to explain the LoTUS row.
 */
import { z } from 'zod';
import { epochBatches } from '../train/trainer';
import type { Rng } from '../util/rng';
import { groupMeanWeights, scheduled, stepsPerPass, trainPass } from './common/loop';
import { DEL_ORIGINAL, fineTuneBudget, originals } from './common/budget';
import { crossEntropyTraining, trainedResult, withTrainer } from './common/trainer';
import * as P from './common/trainingParams';
import { defineMethod } from './define';

export const negGradPlus = defineMethod({
  name: 'neggrad-plus',
  title: 'NegGrad+',
  citation: 'Kurmanji, Triantafillou, Hayes, Triantafillou, "Towards Unbounded Machine Unlearning" (SCRUB), NeurIPS 2023',
  summary: 'Fine-tunes on paired retain and forget batches with loss β·CE(retain) − (1 − β)·CE(forget): descent on the retain set keeps accuracy, ascent on the forget set removes it.',
  needs: ['forget', 'retain'],
  params: {
    beta: z.number().min(0).max(1).default(0.99).describe('Weight β of the retain loss; the forget loss gets −(1 − β) (DEL: 0.99).'),
    optimizer: P.optimizer('sgd', 'SCRUB, DEL'),
    lr: P.lr(0.01, 'as finetune (SalUn README)'),
    epochs: P.epochs(5, 'a few passes over R, as the DEL/SCRUB baselines'),
    batchSize: P.batchSize(128, 'retain batch of the SCRUB/DEL loaders'),
    forgetBatchSize: P.batchSize(128, 'same as the retain batch (paired loaders)'),
    momentum: P.momentum(0.9, 'SCRUB, DEL'),
    weightDecay: P.weightDecay(5e-4, 'SCRUB'),
    reference: z.enum(['correct', 'lotus']).default('correct').describe('"correct": NegGrad+ as published. "lotus": the LoTUS repository\'s behaviour (its forget pass is descent, a bug), only to compare with LoTUS tables.'),
  },
  // As a DEL baseline it runs in DEL's fine-tuning loop: 5 epochs at lr 0.01 against DEL's 30-epoch lr-0.1 original,
  // with its optimiser and one batch size for both loaders (docs/methods.md §2.7).
  budget: { ...fineTuneBudget(DEL_ORIGINAL, { epochs: 5, lr: 0.01 }), forgetBatchSize: originals('batchSize', DEL_ORIGINAL.source) },
  cost: (p, n) =>
    p.reference === 'lotus' ? p.epochs * (n.forget + n.retain) : p.epochs * (n.retain + Math.ceil(n.retain / p.batchSize) * Math.min(p.forgetBatchSize, n.forget)),
  async run(ctx, p) {
    return withTrainer(ctx.model, crossEntropyTraining(p, ctx.threads), async (trainer) => {
      if (p.reference === 'lotus') {
        const total = (stepsPerPass(ctx.forget.length, p.forgetBatchSize) + stepsPerPass(ctx.retain.length, p.batchSize)) * p.epochs;
        const lr = scheduled({ kind: 'constant', lr: p.lr }, total);
        for (let e = 0; e < p.epochs; e++) {
          await trainPass({ trainer, ds: ctx.train, indices: ctx.forget, batchSize: p.forgetBatchSize, rng: ctx.rng, lr: lr.next, signal: ctx.signal });
          await trainPass({ trainer, ds: ctx.train, indices: ctx.retain, batchSize: p.batchSize, rng: ctx.rng, lr: lr.next, signal: ctx.signal });
          ctx.progress((e + 1) / p.epochs, `epoch ${e + 1}/${p.epochs} (LoTUS reference behaviour)`);
        }
        return trainedResult(trainer, ['reference "lotus": forget pass was descent, reproducing the LoTUS repository bug']);
      }
      const total = stepsPerPass(ctx.retain.length, p.batchSize) * p.epochs;
      const lr = scheduled({ kind: 'constant', lr: p.lr }, total);
      for (let e = 0; e < p.epochs; e++) {
        let split = 0; // rows [0, split) of the current batch are retain rows
        const { meanLoss } = await trainPass({
          trainer, ds: ctx.train, batches: pairedBatches(ctx.retain, ctx.forget, p.batchSize, p.forgetBatchSize, ctx.rng, (s) => (split = s)),
          batchSize: p.batchSize + p.forgetBatchSize, rng: ctx.rng, lr: lr.next, signal: ctx.signal,
          extras: (_b, y) => {
            const group = new Uint8Array(y.length);
            group.fill(1, split);
            return { labels: y, weights: [groupMeanWeights(group, [p.beta, -(1 - p.beta)])] };
          },
        });
        ctx.progress((e + 1) / p.epochs, `epoch ${e + 1}/${p.epochs}, loss ${meanLoss.toFixed(4)}`);
      }
      return trainedResult(trainer);
    });
  },
});

/** Each retain batch followed by the next forget batch; the forget side reshuffles whenever it runs out. */
function* pairedBatches(retain: Int32Array, forget: Int32Array, rb: number, fb: number, rng: Rng, onSplit: (retainRows: number) => void): Generator<Int32Array> {
  let forgetIt = epochBatches(forget, fb, rng);
  for (const r of epochBatches(retain, rb, rng)) {
    let next = forgetIt.next();
    if (next.done) {
      forgetIt = epochBatches(forget, fb, rng);
      next = forgetIt.next();
    }
    const f = next.value as Int32Array;
    const batch = new Int32Array(r.length + f.length);
    batch.set(r);
    batch.set(f, r.length);
    onSplit(r.length);
    yield batch;
  }
}
