/**
 * The one way to declare a method: metadata, needs and parameter schemas once; `run` (or `predict`) receives
 * the resolved, typed parameters after the needs are checked, whoever calls it (job runner, tests, bench).
 * A method may also state how its budget follows from the original's recipe (`budget`, docs/methods.md §2.7)
 * and what it will cost (`cost`, in example-gradients), so a job can derive the one and warn about the other
 * before the method starts.
 */
import type { TrainingRecipe } from '../contracts/recipe';
import { ruleText, type Derivation } from './common/budget';
import { assertNeeds } from './needs';
import { describeParams, parseParams, type ParamShape, type Params } from './common/params';
import type { CostInput, DerivedParam, MethodContext, MethodResult, ModelMethod, Need, Prediction, PredictionMethod, PredictionTargets } from './types';

/** Per parameter, how the paper relates it to its original's training; parameters it does not relate are absent. */
export type Budget<S extends ParamShape> = { [K in keyof Params<S>]?: Derivation<Params<S>[K]> };

interface Definition<S extends ParamShape> {
  name: string;
  title: string;
  citation: string;
  summary: string;
  needs: Need[];
  params: S;
  budget?: Budget<S>;
  /** Example-gradient evaluations with parameters `p` (docs/methods.md §3.7). */
  cost?(p: Params<S>, input: CostInput): number;
}

export interface ModelMethodDefinition<S extends ParamShape> extends Definition<S> {
  run(ctx: MethodContext, p: Params<S>): Promise<MethodResult>;
}

export interface PredictionMethodDefinition<S extends ParamShape, R extends Prediction> extends Definition<S> {
  predict(ctx: MethodContext, p: Params<S>, targets: PredictionTargets): Promise<R>;
}

export function defineMethod<S extends ParamShape>(def: ModelMethodDefinition<S>): ModelMethod {
  const prepared = preparation(def);
  return {
    ...prepared.info,
    producesModel: true,
    run: async (ctx) => def.run(ctx, prepared.check(ctx)),
  };
}

/** A method that predicts outputs and changes no weights (DM-Direct). */
export function definePredictionMethod<S extends ParamShape, R extends Prediction>(def: PredictionMethodDefinition<S, R>): PredictionMethod<R> {
  const prepared = preparation(def);
  return {
    ...prepared.info,
    producesModel: false,
    predict: async (ctx, targets) => def.predict(ctx, prepared.check(ctx), targets),
  };
}

function preparation<S extends ParamShape>(def: Definition<S>) {
  const { name, title, citation, summary, needs, params } = def;
  const shape: ParamShape = params;
  const budget: Record<string, Derivation<unknown> | undefined> = def.budget ?? {};
  /** Only keys the caller left unset are derived: explicit parameters always win. */
  const derivedParams = (raw: Record<string, unknown>, recipe: TrainingRecipe): Record<string, DerivedParam> =>
    Object.fromEntries(
      Object.entries(budget).flatMap(([key, d]) => (d && raw[key] === undefined ? [[key, { value: d.value(recipe) as DerivedParam['value'], formula: d.formula }]] : [])),
    );
  const described = describeParams(shape);
  for (const [key, d] of Object.entries(budget)) if (d) described[key] = { ...described[key], derivation: ruleText(d) };
  return {
    info: {
      name, title, citation, summary, needs, params: described, derivedParams,
      resolveParams: (raw: Record<string, unknown>, recipe?: TrainingRecipe) => {
        const derived = recipe ? Object.fromEntries(Object.entries(derivedParams(raw, recipe)).map(([k, d]) => [k, d.value])) : {};
        return parseParams(name, shape, { ...derived, ...raw });
      },
      estimateCost: (p: Record<string, unknown>, input: CostInput) => def.cost?.(parseParams(name, params, p), input),
    },
    /** Parameters resolved first (a typo is the likelier mistake), then the needs. */
    check(ctx: MethodContext): Params<S> {
      const p = parseParams(name, params, ctx.params);
      assertNeeds(def, ctx);
      return p;
    },
  };
}
