/**
 * How a model is trained: the original's recipe (recorded by `lethe train`, or given in a job), which the
 * retrain reference and the supervised trainer follow. A contract of its own so that train/ and methods/
 * can use it without importing the job layer.
 */
import { z } from 'zod';

const fields = z
  .object({
    epochs: z.number().int().min(1),
    batchSize: z.number().int().min(1),
    optimizer: z.enum(['sgd', 'adam', 'adamw']),
    lr: z.number().positive(),
    momentum: z.number().min(0).max(1),
    /** Nesterov momentum (SGD only). */
    nesterov: z.boolean().optional(),
    weightDecay: z.number().min(0),
    schedule: z.enum(['constant', 'step', 'cosine', 'linear']),
  })
  .strict();

export type TrainingRecipe = z.infer<typeof fields>;

/** Lethe's defaults for small models (docs/methods.md §2.1), for every key neither the job nor the checkpoint gives. */
export const DEFAULT_RECIPE: TrainingRecipe = { epochs: 5, batchSize: 128, optimizer: 'sgd', lr: 0.05, momentum: 0.9, weightDecay: 5e-4, schedule: 'cosine' };

/** Some keys of a recipe, as a job's `training` section gives them: nothing is filled in, so "given" and "defaulted" stay apart. */
export const RecipeKeys = fields.partial();
export type RecipeKeys = z.infer<typeof RecipeKeys>;

/** A whole recipe: the keys given, the defaults for the rest. */
export const TrainingRecipe = RecipeKeys.transform((given): TrainingRecipe => ({ ...DEFAULT_RECIPE, ...given })).refine((r) => !r.nesterov || r.optimizer === 'sgd', {
  message: 'Nesterov momentum applies to the sgd optimizer only',
  path: ['nesterov'],
});
