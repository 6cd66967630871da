/**
 * The original's training recipe, resolved once per job, key by key: the job's `training` section, else what
 * `lethe train` recorded in the checkpoint (`lethe.recipe` metadata), else Lethe's defaults. The retrain
 * reference, KLoM's ensembles and the methods' derived budgets all read the result, and the log says where
 * it came from, because a retrain with the wrong recipe is a wrong reference.
 */
import { basename } from 'node:path';
import { DEFAULT_RECIPE, TrainingRecipe, type RecipeKeys } from '../contracts/recipe';
import type { LogLevel } from '../contracts/log';
import { LetheError } from '../util/errors';

export const RECIPE_METADATA_KEY = 'lethe.recipe';

export interface ResolvedRecipe {
  recipe: TrainingRecipe;
  /** One log line: the recipe and where each part of it came from. */
  line: string;
  /** `warn` when nothing said how the original was trained, so the defaults stand in. */
  level: LogLevel;
}

export function resolveRecipe(given: RecipeKeys | undefined, metadata: Readonly<Record<string, string>>, modelFile: string, jobFile: string): ResolvedRecipe {
  const fromJob = Object.keys(given ?? {});
  const whole = (Object.keys(DEFAULT_RECIPE) as (keyof TrainingRecipe)[]).every((k) => fromJob.includes(k));
  // A job that gives every key needs nothing recorded (and so can stand in for a malformed record).
  const recorded = whole ? undefined : recordedRecipe(metadata, modelFile);
  const parsed = TrainingRecipe.safeParse({ ...recorded, ...given });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new LetheError(`${issue.message} (with the recipe recorded in ${basename(modelFile)})`, jobFile, `training.${issue.path.join('.')}`);
  }
  const rest = recorded ? "the checkpoint's metadata" : "Lethe's defaults";
  const source = whole
    ? 'from the job'
    : fromJob.length > 0
      ? `from the job (${fromJob.join(', ')}), the rest from ${rest}`
      : recorded
        ? "from the checkpoint's metadata"
        : "Lethe's defaults: neither the job's `training` nor the checkpoint's metadata says how the original was trained";
  return { recipe: parsed.data, line: `recipe: ${source} (${describeRecipe(parsed.data)})`, level: recorded || whole ? 'info' : 'warn' };
}

/** `adam, lr 0.002, 60 epochs, batch 64, cosine`: what a reader checks first. */
export function describeRecipe(r: TrainingRecipe): string {
  return `${r.optimizer}, lr ${r.lr}, ${r.epochs} epoch${r.epochs === 1 ? '' : 's'}, batch ${r.batchSize}, ${r.schedule}`;
}

/** The recipe `lethe train` recorded, or undefined; a malformed one is refused, naming the model file. */
function recordedRecipe(metadata: Readonly<Record<string, string>>, modelFile: string): RecipeKeys | undefined {
  const text = metadata[RECIPE_METADATA_KEY];
  if (text === undefined) return undefined;
  const bad = (cause: string) => new LetheError(`metadata "${RECIPE_METADATA_KEY}" is not a training recipe (${cause}); fix or remove it, or give the whole recipe under \`training\` in the job`, modelFile);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw bad(`not JSON: ${(e as Error).message.split('\n')[0]}`);
  }
  const parsed = TrainingRecipe.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw bad(`${issue.path.join('.') || 'top level'}: ${issue.message}`);
  }
  return parsed.data;
}
