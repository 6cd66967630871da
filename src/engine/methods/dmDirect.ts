/**
 * DM-Direct: Georgiev, Rinberg, Park, Garg, Ilyas, Madry, Neel, "Machine Unlearning via Simulated Oracle
 * Matching" (arXiv 2410.23232, ICLR 2025), Appendix C; docs/methods.md §2.2.2.
 *
 *   f̂_k(x) = f_{θ₀,k}(x) − m·Σ_{i∈F} β[i, x, k]
 *
 * It predicts the retrained model's outputs on evaluation points that have attributions; it does not change
 * any weights, so it yields no checkpoint. It is therefore a prediction method: `predict()` returns the
 * original and predicted logits for the report and metrics (e.g. forget-set margins against the oracle's).
 * DMM (methods/dmm.ts) turns these predictions into a model.
 */
import type { Dataset } from '../data/types';
import { LetheError } from '../util/errors';
import { definePredictionMethod } from './define';
import { attributionParams, dmDirectFor } from './dmm';

export const dmDirect = definePredictionMethod({
  name: 'dm-direct',
  title: 'DM-Direct (prediction only, no checkpoint)',
  citation: 'Georgiev, Rinberg, Park, Garg, Ilyas, Madry, Neel, "Machine Unlearning via Simulated Oracle Matching" (arXiv 2410.23232), ICLR 2025',
  summary:
    'Predicts the outputs a model retrained without the forget set would give, on chosen evaluation points, by subtracting the forget examples\' data attributions (TRAK, per-class logits) from the original model\'s logits. It changes no weights and produces no checkpoint: use it to inspect predicted forget-set outputs in a report, or use DMM to obtain an unlearned model from these predictions.',
  needs: ['forget', 'retain', 'attribution'],
  params: attributionParams,
  async predict(ctx, p, targets) {
    const data: Dataset = targets.split === 'train' ? ctx.train : ctx.test;
    for (const i of targets.indices) if (!(i >= 0 && i < data.n)) throw new LetheError(`evaluation point ${i} is outside the ${targets.split} split (0..${data.n - 1})`, undefined, 'method "dm-direct"');
    return dmDirectFor(ctx, p, data, targets.indices, ctx.rng.nextU32(), ctx.progress);
  },
});
