/**
 * The job spec: what the CLI, the worker and the extension all hand to `runJob`.
 * Defined once here, validated with zod so a bad `*.lethe.yaml` gets an error naming the key.
 */
import { z } from 'zod';
import { RecipeKeys } from './recipe';

/** The method a job runs when it names none and has no calibration file. */
export const DEFAULT_METHOD = 'finetune';
/** `method: calibrated`, or no method with a calibration file: the calibration's best method (docs/calibration.md). */
export const BEST_CALIBRATED = 'calibrated';

export const ReferenceSpec = z
  .object({
    /** Train a retrain oracle (original recipe, retain set only, fresh init). */
    retrain: z.boolean().default(true),
    /** Existing oracle checkpoints (paths relative to the job file). Used instead of retraining when given. */
    checkpoints: z.array(z.string()).default([]),
    /** Retrained references, each from its own seed: their spread widens the verdict's noise bands (docs/verdict.md). */
    models: z.number().int().min(1).max(20).default(1),
    /** Models per side for KLoM (0 = skip KLoM). */
    klomModels: z.number().int().min(0).max(1000).default(0),
  })
  .strict();

export const EvaluationSpec = z
  .object({
    mia: z.boolean().default(true),
    jsd: z.boolean().default(true),
    attribution: z.boolean().default(false),
    /** Share of the test split held out as unseen validation data (LoTUS a_V, MIA non-members), seeded; test metrics use the rest. */
    validationFraction: z.number().min(0).max(0.5).default(0.1),
  })
  .strict();

export const JobSpec = z
  .object({
    version: z.literal(1).default(1),
    name: z.string().optional(),
    kind: z.enum(['unlearn', 'audit']).default('unlearn'),
    /** Checkpoint (.onnx or TF.js model.json), relative to the job file. */
    model: z.string(),
    /** Dataset: a descriptor (*.dataset.json|yaml) or a folder Lethe recognises (e.g. the four MNIST IDX files). */
    data: z.string(),
    /** Forget-set file (*.forget.json). Required for unlearn jobs. */
    forget: z.string().optional(),
    /** A method name; without one, the best method of `calibration` when given, else finetune. */
    method: z.string().optional(),
    params: z.record(z.string(), z.unknown()).default({}),
    /** A calibration file (`lethe calibrate`): unset params come from it, and without a `method` its best method runs (docs/calibration.md). */
    calibration: z.string().optional(),
    /**
     * How the original was trained, key by key; what is not given comes from the checkpoint's `lethe.recipe`
     * metadata, then from Lethe's defaults (job/recipe.ts). The retrain reference, KLoM's ensembles and the
     * methods' derived budgets all use the resolved recipe.
     */
    training: RecipeKeys.optional(),
    /**
     * "recipe": method parameters the job leaves unset are derived from the original's recipe, as each method's
     * paper relates its budget to its original's training (docs/methods.md §2.7). "reference": the papers'
     * reference defaults, unchanged.
     */
    budget: z.enum(['recipe', 'reference']).default('recipe'),
    reference: ReferenceSpec.default(ReferenceSpec.parse({})),
    evaluation: EvaluationSpec.default(EvaluationSpec.parse({})),
    seed: z.number().int().min(0).default(0),
    /** Output folder; each run gets its own sub-folder. */
    output: z.string().default('lethe-runs'),
    /** onnxruntime intra-op threads (0 = onnxruntime's default). */
    threads: z.number().int().min(0).max(256).default(0),
  })
  .strict()
  .transform((s) => ({ ...s, method: s.method ?? (s.calibration ? BEST_CALIBRATED : DEFAULT_METHOD) }))
  .refine((s) => s.method !== BEST_CALIBRATED || s.calibration !== undefined, {
    message: `method "${BEST_CALIBRATED}" runs the best method of a calibration file: give \`calibration\``,
    path: ['method'],
  });

export type JobSpec = z.infer<typeof JobSpec>;
export type JobSpecInput = z.input<typeof JobSpec>;
