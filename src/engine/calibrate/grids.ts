/**
 * What calibration searches per method: the learning rate, the epochs and one method-specific knob, each a few
 * values around the method's base setting (its parameters as a job would resolve them: derived from the original's
 * recipe, else the paper's defaults). At most 3 × 2 × 3 trials per method (docs/calibration.md, "Grids").
 */
import type { TrainingRecipe } from '../contracts/recipe';
import type { ParamValue, UnlearningMethod } from '../methods/types';

/** One searched parameter: its values from the base value. */
interface Axis {
  key: string;
  values(base: number, recipe: TrainingRecipe): number[];
}

const lr = (key = 'lr'): Axis => ({ key, values: (b) => [b / 3, b, 3 * b] });
/**
 * The base budget and twice it (issue 17: the papers' budgets under-forget memorising originals), the doubling
 * capped at the original's epochs: calibration does not search settings that train longer than a retrain would.
 */
const epochs: Axis = { key: 'epochs', values: (b, r) => [b, Math.min(2 * b, Math.max(b, r.epochs))] };
const knob = (key: string, values: (b: number) => number[]): Axis => ({ key, values: (b) => values(b) });
const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

/** Per method, its knob (toward more forgetting from the default where the knob has a direction); none for plain fine-tuning baselines. */
const KNOBS: Record<string, Axis> = {
  lotus: knob('alpha', (b) => [b / 4, b, 2 * b]), // LoTUS: 8 for ResNet-18 CIFAR-10, 2 elsewhere
  del: knob('threshold', (b) => [b, 2 * b, 3 * b].map(clamp01)),
  'neggrad-plus': knob('beta', (b) => [b, 1 - 5 * (1 - b), 1 - 10 * (1 - b)].map(clamp01)),
  'bad-teacher': knob('temperature', (b) => [b / 2, b, 2 * b]),
  scrub: knob('maxSteps', (b) => [Math.max(1, Math.round(b / 2)), b, 2 * b]),
  ssd: knob('alpha', (b) => [b, b / 3, b / 10]),
  unsir: knob('repairLr', (b) => [b / 3, b, 3 * b]),
  salun: knob('maskFraction', (b) => [b - 0.2, b, b + 0.2].map(clamp01)),
  fisher: knob('alpha', (b) => [b, 3 * b, 10 * b]),
  'l1-sparse': knob('gamma', (b) => [b / 3, b, 3 * b]),
};

/** The learning-rate key where a method names it otherwise. */
const LR_KEY: Record<string, string> = { unsir: 'impairLr' };

export interface PlannedTrial {
  id: string;
  method: string;
  settings: Record<string, number>;
  params: Record<string, ParamValue>;
}

/** The axes a method has: lr and epochs when it has those parameters, and its knob. */
export function axesOf(method: UnlearningMethod): Axis[] {
  const axes = [lr(LR_KEY[method.name]), epochs].filter((a) => a.key in method.params);
  const own = KNOBS[method.name];
  return own ? [...axes, own] : axes;
}

/**
 * A method's trials, the base setting first and then by distance from it (so a budget that stops early has tried
 * every method's base), each resolved against the method's schema (a value out of range is clamped into it).
 */
export function methodTrials(method: UnlearningMethod, recipe: TrainingRecipe): PlannedTrial[] {
  const base = method.resolveParams({}, recipe);
  const axes = axesOf(method).map((a) => {
    const b = base[a.key] as number;
    const integer = method.params[a.key].type === 'integer';
    const values = [...new Set(a.values(b, recipe).map((v) => inRange(method, a.key, integer ? Math.round(v) : Number(v.toPrecision(6)))))];
    return { key: a.key, values, base: values.indexOf(inRange(method, a.key, b)) };
  });
  let grid: { settings: Record<string, number>; distance: number }[] = [{ settings: {}, distance: 0 }];
  for (const a of axes) {
    grid = grid.flatMap((g) => a.values.map((v, i) => ({ settings: { ...g.settings, [a.key]: v }, distance: g.distance + Math.abs(i - a.base) })));
  }
  return grid
    .map((g, i) => ({ ...g, i }))
    .sort((x, y) => x.distance - y.distance || x.i - y.i)
    .map((g, rank) => ({ id: `${method.name}/${rank}`, method: method.name, settings: g.settings, params: method.resolveParams(g.settings, recipe) }));
}

function inRange(method: UnlearningMethod, key: string, v: number): number {
  const spec = method.params[key];
  if (spec.type !== 'number' && spec.type !== 'integer') return v;
  return Math.min(spec.max ?? Infinity, Math.max(spec.min ?? -Infinity, v));
}

/** Every method's trials, interleaved (each method's first, then each one's second, …), so a cut keeps every method. */
export function interleave(perMethod: PlannedTrial[][]): PlannedTrial[] {
  const out: PlannedTrial[] = [];
  for (let rank = 0; perMethod.some((t) => rank < t.length); rank++) for (const t of perMethod) if (rank < t.length) out.push(t[rank]);
  return out;
}
