/**
 * How a model is trained: the original's recipe (recorded by `lethe train`, or given in a job), which the
 * retrain reference and the supervised trainer follow. A contract of its own so that train/ and methods/
 * can use it without importing the job layer.
 */
import { z } from 'zod';

export const TrainingRecipe = z
  .object({
    epochs: z.number().int().min(1).default(5),
    batchSize: z.number().int().min(1).default(128),
    optimizer: z.enum(['sgd', 'adam', 'adamw']).default('sgd'),
    lr: z.number().positive().default(0.05),
    momentum: z.number().min(0).max(1).default(0.9),
    /** Nesterov momentum (SGD only). */
    nesterov: z.boolean().optional(),
    weightDecay: z.number().min(0).default(5e-4),
    schedule: z.enum(['constant', 'step', 'cosine', 'linear']).default('cosine'),
  })
  .strict()
  .refine((r) => !r.nesterov || r.optimizer === 'sgd', { message: 'Nesterov momentum applies to the sgd optimizer only', path: ['nesterov'] });

export type TrainingRecipe = z.infer<typeof TrainingRecipe>;
