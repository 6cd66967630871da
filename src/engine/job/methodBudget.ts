/**
 * The method's budget, settled before it starts: its parameters (the job's, then those derived from the
 * original's recipe, then the papers' defaults; docs/methods.md §2.7), and its estimated cost against a retrain,
 * said up front when the method would take longer than retraining (docs/methods.md §3.7).
 */
import type { JobSpec } from '../contracts/jobSpec';
import type { LogLevel } from '../contracts/log';
import type { TrainingRecipe } from '../contracts/recipe';
import { resolveParams } from '../methods/registry';
import type { CostInput, ParamValue, UnlearningMethod } from '../methods/types';
import type { Say } from './reporting';

/** The parameters the method runs with; the derived ones are logged with their formulas. */
export function methodParams(method: UnlearningMethod, spec: JobSpec, recipe: TrainingRecipe, say: Say): Record<string, ParamValue> {
  if (spec.budget === 'reference') return resolveParams(method, spec.params);
  const derived = Object.entries(method.derivedParams(spec.params, recipe));
  if (derived.length > 0) {
    const shown = derived.map(([key, d]) => `${key} ${typeof d.value === 'number' ? Number(d.value.toPrecision(4)) : d.value} (${d.formula})`);
    say('info', `${method.name}: derived from the original's recipe: ${shown.join(', ')}; docs/methods.md §2.7 (\`budget: reference\` keeps the papers' defaults)`);
  }
  return resolveParams(method, spec.params, recipe);
}

/** Above this share of a retrain's example-gradients, the cost is announced as a warning. */
const NEAR_RETRAIN = 0.9;

/** The cost line: info when the method is clearly cheaper than a retrain, a warning when it costs about as much or more; none without an estimate. */
export function costLine(method: UnlearningMethod, params: Record<string, ParamValue>, input: CostInput): { level: LogLevel; message: string } | undefined {
  const cost = method.estimateCost(params, input);
  if (cost === undefined) return undefined;
  const retrain = input.recipe.epochs * input.retain;
  const ratio = retrain > 0 ? cost / retrain : Number.POSITIVE_INFINITY;
  const against = `a retrain on the retain set costs ${input.recipe.epochs} epochs × ${input.retain} = ${retrain}`;
  // Example-gradients leave out per-step overheads (masks, teachers, scoring), so "about as much" is said too.
  if (cost <= NEAR_RETRAIN * retrain) return { level: 'info', message: `${method.title}: about ${Math.round(cost)} example-gradients, ${ratio.toFixed(2)}× a retrain (${against})` };
  const verdict = cost > retrain ? 'it runs longer than retraining would' : 'about as long as retraining, or longer';
  return { level: 'warn', message: `${method.title} will cost about ${Math.round(cost)} example-gradients, ${ratio.toFixed(2)}× a retrain (${against}): ${verdict}` };
}
