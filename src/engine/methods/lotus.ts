/**
 * LoTUS (Spartalis, Semertzidis, Gavves, Daras, "LoTUS: Large-Scale Machine Unlearning with a Taste of
 * Uncertainty", CVPR 2025; cspartalis/LoTUS `lotus_class.py`; docs/methods.md §2.3).
 *
 *   a_V ← round₂(accuracy of θ₀ on the unseen set V)          (class forgetting: a_V = 0)
 *   data ← F (flag 1) ∪ a random 30% of R (flag 0), teacher = frozen θ₀
 *   for each epoch:
 *     a_F ← round₂(accuracy of the current model on F)
 *     if a_F − a_V ≤ −0.01: stop                                (forget accuracy is down to unseen level)
 *     τ ← exp(α·(a_F − a_V))
 *     each step, with z = teacher logits and fresh Gumbel noise g:
 *       forget rows: target softmax((z + g)/τ)                  (smoothed, more the larger the gap)
 *       retain rows: target onehot(argmax(z + g))               (a sampled label, τ = 1)
 *     minimise the cross-entropy to these targets with AdamW
 * Defaults: the CIFAR-10 ResNet-18 settings (α = 8, lr 1e-4, 10 epochs, batch 128, weight decay 5e-4);
 * the other settings use α = 2. `maskFraction` > 0 gives the repository's LoTUS + SalUn variant (AdamW then
 * leaves unmasked entries exactly unchanged, weight decay included).
 */
import { z } from 'zod';
import { LetheError } from '../util/errors';
import type { Rng } from '../util/rng';
import { concat, forgottenClasses, numClasses, randomFraction, validationSet } from './common/data';
import { scheduled, stepsPerPass, trainPass } from './common/loop';
import { accuracyOn, logitsOn } from './common/predict';
import { globalTopFraction } from './common/select';
import { withTrainer } from './common/trainer';
import { epochShare } from './common/budget';
import * as P from './common/trainingParams';
import { defineMethod } from './define';
import { forgetSaliency } from './salun';

/** LoTUS's accuracy helper rounds to two decimals; the stopping rule and τ use the rounded values. */
export function round2(a: number): number {
  return Math.round(a * 100) / 100;
}

/** Stop once forget accuracy is at least one point below unseen accuracy (compared in whole points). */
export function lotusShouldStop(aF: number, aV: number): boolean {
  return Math.round(aF * 100) - Math.round(aV * 100) <= -1;
}

export function lotusTemperature(aF: number, aV: number, alpha: number): number {
  return Math.exp(alpha * (aF - aV));
}

/**
 * One Gumbel-softmax draw per row of z (n × k), written to `out`: soft = softmax((z + g)/τ),
 * hard = one-hot of argmax(z + g) (docs/methods.md §5.3).
 */
export function gumbelSoftmax(z: Float32Array, k: number, tau: number, hard: boolean, rng: Rng, out: Float32Array, row = 0, outRow = row): void {
  const v = new Float64Array(k);
  let max = -Infinity;
  let arg = 0;
  for (let c = 0; c < k; c++) {
    v[c] = z[row * k + c] + rng.gumbel();
    if (v[c] > max) {
      max = v[c];
      arg = c;
    }
  }
  if (hard) {
    for (let c = 0; c < k; c++) out[outRow * k + c] = c === arg ? 1 : 0;
    return;
  }
  let sum = 0;
  for (let c = 0; c < k; c++) {
    v[c] = Math.exp((v[c] - max) / tau);
    sum += v[c];
  }
  for (let c = 0; c < k; c++) out[outRow * k + c] = v[c] / sum;
}

export const lotus = defineMethod({
  name: 'lotus',
  title: 'LoTUS',
  citation: 'Spartalis, Semertzidis, Gavves, Daras, "LoTUS: Large-Scale Machine Unlearning with a Taste of Uncertainty", CVPR 2025',
  summary: 'Distils the original into itself on the forget set and part of the retain set, replacing forget-set targets with Gumbel-softmax samples whose temperature grows with the gap between forget accuracy and accuracy on unseen data, and stops once that gap is closed.',
  needs: ['forget', 'retain', 'validation'],
  params: {
    alpha: z.number().min(0).max(100).default(8).describe('α in τ = exp(α·(a_F − a_V)) (LoTUS: 8 for ResNet-18 CIFAR-10, 2 elsewhere).'),
    lr: P.lr(1e-4, 'LoTUS ResNet-18'),
    epochs: P.epochs(10, 'LoTUS ResNet-18 (ViT: 3)'),
    batchSize: P.batchSize(128, 'LoTUS ResNet-18'),
    weightDecay: P.weightDecay(5e-4, 'LoTUS'),
    retainFraction: z.number().min(0).max(1).default(0.3).describe('Share of the retain set mixed with the forget set (LoTUS subset_size 0.3).'),
    maskFraction: z.number().min(0).max(1).default(0).describe('LoTUS + SalUn variant: only the top fraction of entries by forget-loss saliency may change (the repository\'s variant uses 0.1 with α = 2). 0 = off, the plain method.'),
    mode: z.enum(['auto', 'instance', 'class']).default('auto').describe('"class": class forgetting, a_V = 0 (runs every epoch). "instance": a_V from the validation set. "auto": class when the forget set holds every example of some class.'),
  },
  // LoTUS runs at most 10 epochs after a 150-epoch original (ResNet-18); its AdamW lr and batch are set per
  // architecture, not from the original's SGD recipe, so only the epochs follow the original (docs/methods.md §2.7).
  budget: { epochs: epochShare(10, 150, 'LoTUS: a 150-epoch ResNet-18 original at SGD lr 0.1, batch 512; unlearnt with AdamW lr 1e-4, batch 128') },
  // At most: LoTUS stops once forget accuracy reaches a_V.
  cost: (p, n) => (p.maskFraction > 0 ? n.forget : 0) + p.epochs * (n.forget + Math.round(p.retainFraction * n.retain)),
  async run(ctx, p) {
    const classMode = p.mode === 'class' || (p.mode === 'auto' && forgottenClasses(ctx.train, ctx.forget).length > 0);
    const notes: string[] = [];
    let aV = 0;
    if (!classMode) {
      const v = validationSet(ctx);
      if (v.indices.length === 0) {
        throw new LetheError('the validation set is empty; instance-wise LoTUS needs unseen examples for a_V (set evaluation.validationFraction > 0, or mode "class")', undefined, 'method "lotus"');
      }
      aV = round2(await accuracyOn(ctx.model, v.ds, v.indices, ctx.threads));
    }
    notes.push(`${classMode ? 'class forgetting, a_V = 0' : `a_V = ${aV.toFixed(2)} (original on ${ctx.validation.length} unseen examples)`}`);

    const k = numClasses(ctx);
    const retainPart = randomFraction(ctx.retain, p.retainFraction, ctx.rng);
    const data = concat(ctx.forget, retainPart);
    const isForget = new Uint8Array(ctx.train.n);
    for (const i of ctx.forget) isForget[i] = 1;
    // The teacher is frozen θ₀ (evaluation mode): its logits are computed once.
    const teacher = new Float32Array(ctx.train.n * k);
    const z = await logitsOn(ctx.model, ctx.train, data, ctx.threads);
    data.forEach((i, r) => teacher.set(z.subarray(r * k, (r + 1) * k), i * k));

    let masks: Map<string, Uint8Array> | undefined;
    let scoring = 0;
    if (p.maskFraction > 0) {
      const { saliency, exampleGradients } = await forgetSaliency(ctx, p.batchSize);
      masks = globalTopFraction(saliency, p.maskFraction);
      scoring = exampleGradients;
      notes.push(`SalUn mask: top ${(100 * p.maskFraction).toFixed(0)}% of entries by forget-loss saliency may change`);
    }
    return withTrainer(ctx.model, { loss: [{ kind: 'soft-ce' }], optimizer: { kind: 'adamw', weightDecay: p.weightDecay }, masks, threads: ctx.threads }, async (trainer) => {
      const lr = scheduled({ kind: 'constant', lr: p.lr }, stepsPerPass(data.length, p.batchSize) * p.epochs);
      let epochsRun = 0;
      for (let e = 0; e < p.epochs; e++) {
        const current = epochsRun === 0 ? ctx.model : trainer.toModel();
        const aF = round2(await accuracyOn(current, ctx.train, ctx.forget, ctx.threads));
        if (lotusShouldStop(aF, aV)) {
          notes.push(`stopped before epoch ${e + 1}: a_F = ${aF.toFixed(2)} ≤ a_V − 0.01`);
          break;
        }
        const tau = lotusTemperature(aF, aV, p.alpha);
        const { meanLoss } = await trainPass({
          trainer, ds: ctx.train, indices: data, batchSize: p.batchSize, rng: ctx.rng, lr: lr.next, signal: ctx.signal,
          extras: (batch) => {
            const t = new Float32Array(batch.length * k);
            batch.forEach((i, r) => gumbelSoftmax(teacher, k, isForget[i] ? tau : 1, !isForget[i], ctx.rng, t, i, r));
            return { targets: [t] };
          },
        });
        epochsRun++;
        notes.push(`epoch ${e + 1}: a_F = ${aF.toFixed(2)}, τ = ${tau.toFixed(3)}, loss ${meanLoss.toFixed(4)}`);
        ctx.progress((e + 1) / p.epochs, `epoch ${e + 1}/${p.epochs}, a_F ${aF.toFixed(2)}, τ ${tau.toFixed(2)}`);
      }
      notes.push(`ran ${epochsRun} of ${p.epochs} epochs`);
      return { model: epochsRun === 0 ? ctx.model : trainer.toModel(), exampleGradients: scoring + trainer.exampleGradients, notes };
    });
  },
});
