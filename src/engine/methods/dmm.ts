/**
 * DMM, Datamodel Matching: Georgiev, Rinberg, Park, Garg, Ilyas, Madry, Neel, "Machine Unlearning via Simulated
 * Oracle Matching" (arXiv 2410.23232, ICLR 2025), Appendix C; docs/methods.md §2.2.3.
 *
 * Oracle Matching with the oracle replaced by DM-Direct (k = 1):
 *   1. Attribution: β[i, x, ·] of every forget example i on every fine-tuning point x (here TRAK with per-class
 *      logit outputs, computed inside run(); see attribution/dmDirectTargets.ts for why not regression datamodels).
 *   2. Targets o(x) = f_{θ₀}(x) − m·Σ_{i∈F} β[i, x, ·] on D_ft = F × f_mult ∪ R′, |R′| = r_mult·|F|.
 *   3. From θ₀, minimise the mean squared error of the logits to o(x) with Adam, lr × 0.95 per epoch.
 */
import { z } from 'zod';
import { dmDirectOutputs } from '../attribution/dmDirectTargets';
import { gradientParameters } from '../attribution/parameters';
import type { Dataset } from '../data/types';
import { concat, numClasses } from './common/data';
import type { Params } from './common/params';
import * as P from './common/trainingParams';
import { defineMethod } from './define';
import { fineTuneSet, fineTuneSetSize, matchTargets, targetMap } from './oracleMatching';
import type { MethodContext } from './types';

/** Attribution parameters shared with DM-Direct (TRAK as the datamodel estimator). */
export const attributionParams = {
  projDim: z.number().int().min(16).max(4096).default(2048).describe('TRAK projection dimension k (TRAK default 2048). Cost grows linearly in k for featurising and cubically for the kernel inverse.'),
  projection: z.enum(['rademacher', 'gaussian']).default('rademacher').describe('Entries of the random projection (TRAK: Rademacher in its fast CUDA projector, Gaussian otherwise).'),
  damping: z.number().min(0).max(10).default(1e-3).describe('Kernel damping relative to the mean diagonal of ΦᵀΦ (TRAK uses none; a little keeps the Cholesky factorisation defined when examples are fewer than k).'),
  kernel: z
    .enum(['trak', 'multiclass-gauss-newton'])
    .default('trak')
    .describe(
      'trak: ΦᵀΦ over margin features, as in the paper (robust on networks trained by SGD); multiclass-gauss-newton: the softmax Gauss–Newton Hessian over all K logit gradients, i.e. projected influence functions (the most faithful on convex models, K× the featurisation cost, and it overshoots on networks far from an optimum).',
    ),
  dmMultiplier: z.number().min(0).max(100).default(1).describe('DM multiplier m in f̂ = f − m·Σ_F β (1 in the reference).'),
  gradientParams: z.enum(['all', 'last-layer']).default('all').describe('Parameters whose gradients form the TRAK features: all (as TRAK) or only the classifier head (much cheaper, coarser).'),
};

/** The attribution settings both DM methods read (see attributionParams). */
export type AttributionSettings = Params<typeof attributionParams>;

/** DM-Direct outputs of θ₀ on `targets` of `data`, with the kernel over F ∪ R (the examples θ₀ saw). */
export function dmDirectFor(ctx: MethodContext, p: AttributionSettings, data: Dataset, targets: Int32Array, seed: number, progress: (fraction: number, message: string) => void) {
  return dmDirectOutputs(ctx.model, ctx.train, ctx.forget, Int32Array.from(new Set(concat(ctx.forget, ctx.retain))), data, targets, {
    projDim: p.projDim,
    projection: p.projection,
    seed,
    damping: p.damping,
    kernel: p.kernel,
    multiplier: p.dmMultiplier,
    params: gradientParameters(ctx.model, p.gradientParams),
    threads: ctx.threads,
    signal: ctx.signal,
    progress,
  });
}

export const dmm = defineMethod({
  name: 'dmm',
  title: 'Datamodel Matching (DMM)',
  citation: 'Georgiev, Rinberg, Park, Garg, Ilyas, Madry, Neel, "Machine Unlearning via Simulated Oracle Matching" (arXiv 2410.23232), ICLR 2025',
  summary:
    'Predicts what a model retrained without the forget set would output, by subtracting the forget examples\' data attributions from the original logits (DM-Direct), then fine-tunes the original model to match those predicted logits on the forget set plus a random sample of the retain set. Attributions are TRAK scores with per-class logit outputs, computed at the start of the run over every training example.',
  needs: ['forget', 'retain', 'attribution'],
  params: {
    lr: P.lr(1e-4, 'DMM reference runs'),
    epochs: P.epochs(10, 'DMM reference runs (4 in the U-LiRA runs)'),
    batchSize: P.batchSize(512, 'DMM reference runs'),
    retainMultiplier: z.number().min(0).max(1000).default(20).describe('r_mult: |R′| = r_mult·|F| retain examples sampled without replacement (20 in the reference).'),
    forgetMultiplier: z.number().min(0).max(1000).default(5).describe('f_mult: times F is repeated in the fine-tuning set (5 in the reference).'),
    lrDecay: z.number().min(0).max(1).default(0.95).describe('Learning rate multiplied by this after every epoch (the oracle-matching loop the reference reuses).'),
    ...attributionParams,
  },
  // No budget from the recipe: the passes are over D_ft, sized by |F| (docs/methods.md §2.7). The attribution
  // featurises every training example (K gradients each with the multiclass kernel) and the K logits of D_ft.
  cost: (p, n) => {
    const dft = fineTuneSetSize(n, p.forgetMultiplier, p.retainMultiplier);
    return p.epochs * dft + (p.kernel === 'multiclass-gauss-newton' ? n.classes : 1) * n.train + n.classes * dft;
  },
  async run(ctx, p) {
    const { all, retainSample } = fineTuneSet(ctx.forget, ctx.retain, p.forgetMultiplier, p.retainMultiplier, ctx.rng);
    const examples = Int32Array.from(new Set(all));
    const projectionSeed = ctx.rng.nextU32();
    const attribution = await dmDirectFor(ctx, p, ctx.train, examples, projectionSeed, (f, m) => ctx.progress(0.5 * f, m));
    const k = numClasses(ctx);
    const targets = targetMap(examples, attribution.predicted, k, false);
    const result = await matchTargets({ ...ctx, progress: (f, m) => ctx.progress(0.5 + 0.5 * f, m) }, all, targets, {
      lr: p.lr, epochs: p.epochs, batchSize: p.batchSize, lrDecay: p.lrDecay, loss: 'mse', label: 'DMM',
    });
    let shift = 0;
    for (let j = 0; j < attribution.original.length; j++) shift += (attribution.original[j] - attribution.predicted[j]) ** 2;
    return {
      model: result.model,
      exampleGradients: result.exampleGradients + attribution.exampleGradients,
      notes: [
        `attribution: TRAK, k = ${p.projDim}, ${p.kernel} kernel, λ = ${attribution.lambda.toExponential(3)}, projection seed ${projectionSeed}; ${attribution.exampleGradients} per-example gradients`,
        `DM-Direct targets move the fine-tuning logits by RMS ${Math.sqrt(shift / attribution.original.length).toExponential(3)} (m = ${p.dmMultiplier})`,
        `fine-tuned on ${all.length} examples (${all.length - retainSample.length} forget, ${retainSample.length} retain); final MSE to targets ${result.finalLoss.toExponential(3)}`,
      ],
    };
  },
});
