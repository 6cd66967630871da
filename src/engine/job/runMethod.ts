/**
 * Running the job's method. A method that trains yields the unlearned model; a prediction-only method (DM-Direct)
 * changes no weights and yields its predicted outputs on every evaluation set instead, and no checkpoint.
 */
import type { Model } from '../graph/ir';
import { concat } from '../methods/common/data';
import { isPredictionOnly, type MethodContext, type PredictionMethod, type UnlearningMethod } from '../methods/types';
import type { LogitsBySplit } from '../metrics/types';
import type { Say } from './reporting';

export interface MethodOutcome {
  /** The unlearned model, unless the method is prediction-only. */
  unlearned?: Model;
  /** A prediction-only method's outputs, in place of the unlearned model's logits. */
  predicted?: LogitsBySplit;
  seconds: number;
  exampleGradients: number;
  /** Facts for the report's log (e.g. LoTUS's stopping epoch). */
  notes: string[];
}

/** Runs `method` on `ctx`; `test` is the test split's evaluation indices (the prediction-only case predicts on them). */
export async function runMethod(method: UnlearningMethod, ctx: MethodContext, test: Int32Array, say: Say): Promise<MethodOutcome> {
  const t0 = performance.now();
  let outcome: Omit<MethodOutcome, 'seconds'>;
  if (isPredictionOnly(method)) {
    const { logits, exampleGradients } = await predictedLogits(method, ctx, test);
    outcome = { predicted: logits, exampleGradients, notes: [`${method.title} changes no weights: the "unlearned" column shows its predicted outputs; no checkpoint is written.`] };
  } else {
    const result = await method.run(ctx);
    outcome = { unlearned: result.model, exampleGradients: result.exampleGradients, notes: result.notes ?? [] };
  }
  const seconds = (performance.now() - t0) / 1000;
  say('info', `${method.title} finished in ${seconds.toFixed(1)} s (${outcome.exampleGradients} example gradients)`);
  return { ...outcome, seconds };
}

/** A prediction-only method's outputs on every evaluation set: one call per split of the data. */
async function predictedLogits(method: PredictionMethod, ctx: MethodContext, test: Int32Array): Promise<{ logits: LogitsBySplit; exampleGradients: number }> {
  const classes = ctx.train.classNames.length;
  const onTrain = await method.predict(ctx, { split: 'train', indices: concat(ctx.forget, ctx.retain) });
  const onTest = await method.predict(ctx, { split: 'test', indices: concat(test, ctx.validation) });
  const cut = (a: Float32Array, from: number, count: number) => a.slice(from * classes, (from + count) * classes);
  return {
    logits: {
      forget: cut(onTrain.predicted, 0, ctx.forget.length),
      retain: cut(onTrain.predicted, ctx.forget.length, ctx.retain.length),
      test: cut(onTest.predicted, 0, test.length),
      validation: cut(onTest.predicted, test.length, ctx.validation.length),
    },
    exampleGradients: onTrain.exampleGradients + onTest.exampleGradients,
  };
}
