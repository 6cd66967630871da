/**
 * The one way to declare a method: metadata, needs and parameter schemas once; `run` (or `predict`) receives
 * the resolved, typed parameters after the needs are checked, whoever calls it (job runner, tests, bench).
 */
import { assertNeeds } from './needs';
import { describeParams, parseParams, type ParamShape, type Params } from './common/params';
import type { MethodContext, MethodResult, ModelMethod, Need, Prediction, PredictionMethod, PredictionTargets } from './types';

interface Definition<S extends ParamShape> {
  name: string;
  title: string;
  citation: string;
  summary: string;
  needs: Need[];
  params: S;
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
  return {
    info: { name, title, citation, summary, needs, params: describeParams(shape), resolveParams: (raw: Record<string, unknown>) => parseParams(name, shape, raw) },
    /** Parameters resolved first (a typo is the likelier mistake), then the needs. */
    check(ctx: MethodContext): Params<S> {
      const p = parseParams(name, params, ctx.params);
      assertNeeds(def, ctx);
      return p;
    },
  };
}
