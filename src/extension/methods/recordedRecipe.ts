/**
 * The original's training recipe for a job started without a job file: the one a training config gives,
 * else the one `lethe train` recorded in the checkpoint (metadata `lethe.recipe`), so the reference is
 * retrained the way the original was trained.
 */
import { TrainingRecipe } from '../../engine/contracts/recipe';
import { zodToLetheError } from '../../engine/data/zodError';
import type { RecipeInfo } from './methodChoices';

export const RECIPE_METADATA_KEY = 'lethe.recipe';

/**
 * `given`: a training config's recipe keys, which win when there are any (a wrong one is left for the job
 * spec's validation to report, naming the key). Without either, the job spec's default recipe
 * (`source: 'default'`); `problem` says why a recorded recipe was not used (not JSON, or not a recipe).
 */
export function recipeOf(metadata: Record<string, string>, given: Record<string, unknown> = {}): RecipeInfo & { problem?: string } {
  const fallback = { recipe: TrainingRecipe.parse({}), source: 'default' as const };
  if (Object.keys(given).length) {
    const parsed = TrainingRecipe.safeParse(given);
    return parsed.success ? { recipe: parsed.data, source: 'config' } : fallback;
  }
  const recorded = metadata[RECIPE_METADATA_KEY];
  if (recorded === undefined) return fallback;
  let json: unknown;
  try {
    json = JSON.parse(recorded);
  } catch {
    return { ...fallback, problem: `metadata "${RECIPE_METADATA_KEY}" is not valid JSON` };
  }
  const parsed = TrainingRecipe.safeParse(json);
  return parsed.success ? { recipe: parsed.data, source: 'model' } : { ...fallback, problem: zodToLetheError(parsed.error, `metadata "${RECIPE_METADATA_KEY}"`).message };
}
