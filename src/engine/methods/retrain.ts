/**
 * Retrain (the gold standard, docs/methods.md §2.1): the original training recipe from a fresh random
 * initialisation on the retain set only. Exact by construction, and the cost every other method is measured
 * against. The recipe is the job's `training` section; the only parameter is the initialisation scheme.
 */
import { z } from 'zod';
import { freshInit, parameterRoles } from '../train/init';
import { withParameters } from '../train/params';
import { trainSupervised } from '../train/supervised';
import { defineMethod } from './define';

export const retrain = defineMethod({
  name: 'retrain',
  title: 'Retrain from scratch',
  citation: 'Exact unlearning baseline; e.g. Bourtoule et al., "Machine Unlearning", IEEE S&P 2021',
  summary: 'Re-runs the original training recipe from a new random initialisation on the retain set only. The result never saw the forget set; every other method approximates it.',
  needs: ['retain'],
  params: {
    init: z.enum(['kaiming-uniform', 'kaiming-normal', 'xavier-uniform']).default('kaiming-uniform').describe('Fresh initialisation: PyTorch\'s default (kaiming-uniform, a = √5) unless the original used another.'),
  },
  cost: (_p, n) => n.recipe.epochs * n.retain,
  async run(ctx, p) {
    const names = [...parameterRoles(ctx.model).keys()];
    const fresh = withParameters(ctx.model, freshInit(ctx.model, ctx.rng.fork(), names, { weights: p.init }));
    const { model, exampleGradients } = await trainSupervised(fresh, ctx.train, ctx.retain, {
      recipe: ctx.recipe,
      rng: ctx.rng,
      threads: ctx.threads,
      signal: ctx.signal,
      progress: ctx.progress,
    });
    return { model, exampleGradients };
  },
});
