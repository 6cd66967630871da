/**
 * Bad Teacher (Chundawat, Tarun, Mandal, Kankanhalli, AAAI 2023; docs/methods.md §2.6). The student starts
 * from θ₀ and is distilled on F ∪ (30% of R): towards a randomly initialised "incompetent" teacher on forget
 * examples and towards the competent teacher θ₀ on retain examples, with loss KL(t ‖ softmax(student/T)).
 * Defaults: the original's Adam lr 1e-4, batch 256, 1 epoch, T = 1, 30% retain subset.
 *
 * The KL is averaged per example; the original's `F.kl_div` default averages over examples × classes, a
 * constant factor 1/K that Adam's update is invariant to (up to ε).
 */
import { z } from 'zod';
import { freshInit, parameterRoles } from '../train/init';
import { withParameters } from '../train/params';
import type { TrainerOptions } from '../train/trainer';
import { concat, numClasses, randomFraction } from './common/data';
import { scheduled, stepsPerPass, trainPass } from './common/loop';
import { logitsOn } from './common/predict';
import { trainedResult, withTrainer } from './common/trainer';
import * as P from './common/trainingParams';
import { defineMethod } from './define';

export const badTeacher = defineMethod({
  name: 'bad-teacher',
  title: 'Bad Teacher',
  citation: 'Chundawat, Tarun, Mandal, Kankanhalli, "Can Bad Teaching Induce Forgetting? Unlearning in Deep Networks Using an Incompetent Teacher", AAAI 2023',
  summary: 'Distils the original model into itself on retain examples while distilling a randomly initialised, incompetent teacher on forget examples, so forget-set predictions become uninformative without hurting the rest.',
  needs: ['forget', 'retain'],
  params: {
    lr: P.lr(1e-4, 'bad-teaching-unlearning (Adam)'),
    epochs: P.epochs(1, 'bad-teaching-unlearning; LoTUS used 10 for ResNet18'),
    batchSize: P.batchSize(256, 'bad-teaching-unlearning'),
    temperature: z.number().min(0.01).max(100).default(1).describe('Distillation temperature T (original: 1).'),
    retainFraction: z.number().min(0).max(1).default(0.3).describe('Share of the retain set distilled from the competent teacher (original: 30%).'),
  },
  // No budget from the recipe: the original's Adam lr and single epoch do not depend on how θ₀ was trained (docs/methods.md §2.7).
  cost: (p, n) => p.epochs * (n.forget + Math.round(p.retainFraction * n.retain)),
  async run(ctx, p) {
    const k = numClasses(ctx);
    // The incompetent teacher: the same architecture, freshly initialised (PyTorch defaults).
    const incompetent = withParameters(ctx.model, freshInit(ctx.model, ctx.rng.fork(), parameterRoles(ctx.model).keys()));
    const retainPart = randomFraction(ctx.retain, p.retainFraction, ctx.rng);
    // Teachers are fixed and in evaluation mode, so their logits are computed once.
    const teacher = new Float32Array(ctx.train.n * k);
    const put = (idx: Int32Array, logits: Float32Array) => idx.forEach((i, r) => teacher.set(logits.subarray(r * k, (r + 1) * k), i * k));
    put(ctx.forget, await logitsOn(incompetent, ctx.train, ctx.forget, ctx.threads));
    put(retainPart, await logitsOn(ctx.model, ctx.train, retainPart, ctx.threads));

    const options = { loss: [{ kind: 'kl', temperature: p.temperature }], optimizer: { kind: 'adam', weightDecay: 0 }, threads: ctx.threads } satisfies TrainerOptions;
    return withTrainer(ctx.model, options, async (trainer) => {
      const data = concat(ctx.forget, retainPart);
      const lr = scheduled({ kind: 'constant', lr: p.lr }, stepsPerPass(data.length, p.batchSize) * p.epochs);
      for (let e = 0; e < p.epochs; e++) {
        const { meanLoss } = await trainPass({
          trainer, ds: ctx.train, indices: data, batchSize: p.batchSize, rng: ctx.rng, lr: lr.next, signal: ctx.signal,
          extras: (batch) => {
            const t = new Float32Array(batch.length * k);
            batch.forEach((i, r) => t.set(teacher.subarray(i * k, (i + 1) * k), r * k));
            return { targets: [t] };
          },
        });
        ctx.progress((e + 1) / p.epochs, `epoch ${e + 1}/${p.epochs}, KL ${meanLoss.toFixed(4)}`);
      }
      return trainedResult(trainer);
    });
  },
});
