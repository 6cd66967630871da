/**
 * SalUn — Saliency Unlearning (Fan et al., ICLR 2024; docs/methods.md §2.6).
 *   1. Saliency g = |Σ_batches ∇θ(−CE_F)| over the forget set, model in evaluation mode.
 *   2. Mask m = 1 on the top `maskFraction` of all entries ranked globally.
 *   3. Random-label unlearning in which only masked entries move.
 * Frozen entries are frozen in the optimiser itself (no momentum, no weight decay on them), which is what the
 * 2026 fix of the reference code (#33) restores by hand; gradient masking alone would let weight decay move them.
 * Defaults: SalUn's RL settings (lr 0.01, 10 epochs, SGD momentum 0.9, wd 5e-4, batch 256, uniform labels)
 * and the README's mask fraction 0.5.
 */
import { z } from 'zod';
import { forgetLossGradient } from './common/gradients';
import { globalTopFraction } from './common/select';
import { defineMethod } from './define';
import { labelsParam, randomLabelBudget, randomLabelCost, randomLabelParams, randomLabelTraining } from './randomLabel';
import type { MethodContext } from './types';

/** SalUn's saliency map: |Σ over forget batches of the gradient of −CE|, per parameter entry. */
export async function forgetSaliency(ctx: MethodContext, batchSize: number): Promise<{ saliency: Map<string, Float32Array>; exampleGradients: number }> {
  const { gradient, exampleGradients } = await forgetLossGradient(ctx, batchSize);
  for (const s of gradient.values()) for (let i = 0; i < s.length; i++) s[i] = Math.abs(s[i]);
  return { saliency: gradient, exampleGradients };
}

export const salun = defineMethod({
  name: 'salun',
  title: 'SalUn (saliency unlearning)',
  citation: 'Fan, Liu, Zhang, Wei, Wong, Liu, "SalUn: Empowering Machine Unlearning via Gradient-based Weight Saliency in Both Image Classification and Generation", ICLR 2024',
  summary: 'Finds the weights most salient to the forget loss (largest gradient magnitudes), then runs random-label unlearning in which only those weights change; all others stay exactly as they were.',
  needs: ['forget', 'retain'],
  params: {
    maskFraction: z.number().min(0).max(1).default(0.5).describe('Share of all parameter entries, ranked by forget-loss gradient magnitude, that may change (SalUn README example 0.5; LoTUS uses 0.1).'),
    saliencyBatchSize: z.number().int().min(1).max(65536).default(256).describe('Batch size of the saliency pass (SalUn: the forget loader\'s, 256).'),
    ...randomLabelParams,
    labels: labelsParam('uniform'),
  },
  budget: randomLabelBudget,
  cost: (p, n) => n.forget + randomLabelCost(p, n),
  async run(ctx, p) {
    const { saliency, exampleGradients: scoring } = await forgetSaliency(ctx, p.saliencyBatchSize);
    const masks = globalTopFraction(saliency, p.maskFraction);
    let selected = 0;
    let total = 0;
    for (const m of masks.values()) {
      total += m.length;
      for (const v of m) selected += v;
    }
    const { model, exampleGradients } = await randomLabelTraining(ctx, { ...p, masks });
    return { model, exampleGradients: scoring + exampleGradients, notes: [`saliency mask: ${selected} of ${total} parameter entries trainable (${((100 * selected) / total).toFixed(1)}%)`] };
  },
});
