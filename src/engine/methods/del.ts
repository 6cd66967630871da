/**
 * DEL — Deletion by Example Localization (Torkzadehmahani, Nasirigerdeh, Kaissis, Rueckert, Dziugaite,
 * Triantafillou, "Improved Localized Machine Unlearning Through the Lens of Memorization", TMLR 2025;
 * reihaneh-torkzadehmahani/DEL-Unlearning; docs/methods.md §2.5).
 *   1. Criticality S_P = |Σ_{forget batches} θ_P ⊙ ∇θ_P(−CE)|  ("weighted_grad").
 *   2. Channel granularity: every entry of a weight gets its output unit's score (the unit axis depends on
 *      the layout: Conv [out, …] → 0, Gemm by transB, MatMul [in, out] → 1, §5.1); 1-D tensors stay
 *      element-wise.
 *   3. Select the top `threshold` fraction of all entries, ranked globally.
 *   4. Reset the selected entries to a *fresh* random initialisation (not the original's initial weights).
 *   5. Make the classifier head fully trainable (after the reset, so unselected head entries keep θ₀).
 *   6. Fine-tune on the retain set only, plain CE, SGD momentum 0.9, cosine from lr to 0.01·lr per epoch,
 *      drop_last; only selected entries and the head move (frozen in the optimiser, so bit-identical).
 * Defaults: the CIFAR-10 ResNet-18 script (threshold 0.3, lr 0.015, 30 epochs, batch 128, weight decay 0).
 */
import { z } from 'zod';
import type { Model } from '../graph/ir';
import { freshInit, parameterRoles } from '../train/init';
import { trainableParameters, withParameters } from '../train/params';
import { lrAt } from '../train/schedule';
import type { Rng } from '../util/rng';
import { forgetLossGradient } from './common/gradients';
import { trainPass } from './common/loop';
import { classifierHead, globalTopFraction, meanOfTopK, unitLayouts, unitScores } from './common/select';
import { crossEntropyTraining, withTrainer } from './common/trainer';
import { DEL_ORIGINAL, fineTuneBudget } from './common/budget';
import * as P from './common/trainingParams';
import { defineMethod } from './define';
import type { MethodContext } from './types';

type DelParams = { threshold: number; channelScore: string; scoreBatchSize: number };

/** Step 1: |Σ_batches θ ⊙ ∇(−CE)| over the forget set, for every parameter that has an initialisation role. */
export async function delCriticality(ctx: MethodContext, batchSize: number): Promise<{ scores: Map<string, Float32Array>; exampleGradients: number }> {
  const roles = parameterRoles(ctx.model);
  const { gradient, exampleGradients } = await forgetLossGradient(ctx, batchSize);
  const scores = new Map<string, Float32Array>();
  for (const [name, g] of gradient) {
    if (!roles.has(name)) continue; // no fresh init exists for it, so it cannot be reset
    const theta = ctx.model.graph.initializers.get(name)!.data as Float32Array;
    scores.set(name, g.map((v, i) => Math.abs(theta[i] * v)));
  }
  return { scores, exampleGradients };
}

/** Steps 2–3: channel-level scores, then the global top-`threshold` masks. */
export function delSelect(model: Model, scores: ReadonlyMap<string, Float32Array>, threshold: number, channelScore: string): Map<string, Uint8Array> {
  const layouts = unitLayouts(model);
  const ranked = new Map<string, Float32Array>();
  for (const [name, s] of scores) {
    const layout = layouts.get(name);
    if (!layout || channelScore === 'element') {
      ranked.set(name, s);
      continue;
    }
    const units = layout.dims[layout.axis];
    ranked.set(name, unitScores(s, layout, (row) =>
      channelScore === 'mean' ? row.reduce((a, b) => a + b, 0) / row.length
        : meanOfTopK(row, channelScore === 'reference' ? Math.floor(0.1 * units) : Math.floor(0.1 * row.length))));
  }
  return globalTopFraction(ranked, threshold);
}

/** Steps 4–5: θ ← (1 − m)⊙θ₀ + m⊙θ_init, then the head's masks set to all ones. */
export function delReset(model: Model, masks: Map<string, Uint8Array>, rng: Rng): { model: Model; masks: Map<string, Uint8Array>; fresh: Map<string, Float32Array> } {
  const fresh = freshInit(model, rng, masks.keys());
  const values = new Map<string, Float32Array>();
  for (const [name, m] of masks) {
    const theta = Float32Array.from(model.graph.initializers.get(name)!.data as Float32Array);
    const init = fresh.get(name)!;
    for (let i = 0; i < m.length; i++) if (m[i]) theta[i] = init[i];
    values.set(name, theta);
  }
  const trainable = new Map(masks);
  for (const name of classifierHead(model)) {
    const n = (model.graph.initializers.get(name)!.data as Float32Array).length;
    trainable.set(name, new Uint8Array(n).fill(1));
  }
  return { model: withParameters(model, values), masks: trainable, fresh };
}

/** Steps 1–5: the reset model and the fine-tuning masks. */
export async function delPrepare(ctx: MethodContext, p: DelParams): Promise<{ model: Model; masks: Map<string, Uint8Array>; selected: Map<string, Uint8Array>; fresh: Map<string, Float32Array>; exampleGradients: number }> {
  const { scores, exampleGradients } = await delCriticality(ctx, p.scoreBatchSize);
  const selected = delSelect(ctx.model, scores, p.threshold, p.channelScore);
  const { model, masks, fresh } = delReset(ctx.model, selected, ctx.rng.fork());
  return { model, masks, selected, fresh, exampleGradients };
}

export const del = defineMethod({
  name: 'del',
  title: 'DEL (deletion by example localization)',
  citation: 'Torkzadehmahani, Nasirigerdeh, Kaissis, Rueckert, Dziugaite, Triantafillou, "Improved Localized Machine Unlearning Through the Lens of Memorization", TMLR 2025 (arXiv 2412.02432)',
  summary: 'Localises the forget set in the network (output channels with the largest weight × forget-gradient criticality), resets those channels to a fresh random initialisation, and fine-tunes only them and the classifier head on the retain set.',
  needs: ['forget', 'retain'],
  params: {
    threshold: z.number().min(0).max(1).default(0.3).describe('Share of all parameter entries selected and reset (CIFAR-10 script: 0.3).'),
    channelScore: z
      .enum(['reference', 'row-top10', 'mean', 'element'])
      .default('reference')
      .describe(
        'Score of an output unit from its entries\' criticalities. "reference": mean of the k largest with k = ⌊0.1·number of units⌋, as the ResNet code does (a quirk: 10% of the rows, not of the row). "row-top10": k = ⌊0.1·entries per unit⌋. "mean": the row mean (the ViT code). "element": no channel granularity.',
      ),
    optimizer: P.optimizer('sgd', 'DEL'),
    lr: P.lr(0.015, 'DEL CIFAR-10 script'),
    minLrFactor: z.number().min(0).max(1).default(0.01).describe('Cosine annealing ends at this fraction of lr (DEL: 0.01).'),
    epochs: P.epochs(30, 'DEL CIFAR-10 script (flag default 50)'),
    batchSize: P.batchSize(128, 'DEL'),
    momentum: P.momentum(0.9, 'DEL'),
    weightDecay: P.weightDecay(0, 'DEL'),
    scoreBatchSize: z.number().int().min(1).max(65536).default(128).describe('Batch size of the criticality pass over the forget set (DEL: the forget loader\'s, 128).'),
  },
  // DEL fine-tunes as long as its original trained (30 of 30 epochs) at 0.15 of its lr (0.015 of 0.1), with its
  // optimiser, batch and weight decay: about a retrain's cost, which the job says before it starts (docs/methods.md §2.7).
  budget: fineTuneBudget(DEL_ORIGINAL, { epochs: 30, lr: 0.015 }),
  cost: (p, n) => n.forget + p.epochs * (n.retain >= p.batchSize ? n.retain - (n.retain % p.batchSize) : n.retain),
  async run(ctx, p) {
    ctx.progress(0, 'localising the forget set');
    const prep = await delPrepare(ctx, p);
    let chosen = 0;
    let total = 0;
    for (const m of prep.selected.values()) {
      total += m.length;
      for (const v of m) chosen += v;
    }
    return withTrainer(prep.model, crossEntropyTraining(p, ctx.threads, withFrozenRest(prep.model, prep.masks)), async (trainer) => {
      // drop_last as in DEL, unless the retain set is smaller than one batch.
      const dropLast = ctx.retain.length >= p.batchSize;
      const schedule = { kind: 'cosine' as const, lr: p.lr, minLr: p.lr * p.minLrFactor };
      for (let e = 0; e < p.epochs; e++) {
        const lr = lrAt(e, p.epochs, schedule); // CosineAnnealingLR stepped once per epoch
        const { meanLoss } = await trainPass({ trainer, ds: ctx.train, indices: ctx.retain, batchSize: p.batchSize, rng: ctx.rng, lr: () => lr, dropLast, signal: ctx.signal });
        ctx.progress((e + 1) / p.epochs, `epoch ${e + 1}/${p.epochs}, retain loss ${meanLoss.toFixed(4)}`);
      }
      return {
        model: trainer.toModel(),
        exampleGradients: prep.exampleGradients + trainer.exampleGradients,
        notes: [`reset and fine-tuned ${chosen} of ${total} parameter entries (${((100 * chosen) / total).toFixed(1)}%) plus the classifier head (${classifierHead(ctx.model).join(', ')})`],
      };
    });
  },
});

/** Every trainable parameter without a mask of its own is frozen (DEL only moves selected entries and the head). */
function withFrozenRest(model: Model, masks: Map<string, Uint8Array>): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const name of trainableParameters(model)) {
    out.set(name, masks.get(name) ?? new Uint8Array((model.graph.initializers.get(name)!.data as Float32Array).length));
  }
  return out;
}
