/**
 * Gradients without an optimiser step, for the one-shot and scoring methods (SSD importances, SalUn and DEL
 * saliency, Fisher diagonals, mnemonic-code Fisher): the same training-step graph the Trainer runs, with
 * the parameters fed from a fixed map. Evaluation mode by default (no batch statistics, no dropout), so the
 * scores describe the model as it predicts.
 */
import { featureCount, gatherBatch } from '../../data/splits';
import type { Dataset } from '../../data/types';
import type { Model } from '../../graph/ir';
import { StepCache } from '../../runtime/stepCache';
import type { LossTerm } from '../../runtime/trainStep';
import { copyParameters, runningStatistics, trainableParameters } from '../../train/params';
import type { MethodContext } from '../types';
import type { BatchExtras } from './loop';
import { checkCancelled, constantWeights } from './loop';

export interface ProbeOptions {
  loss: LossTerm[];
  /** Parameters to differentiate (default: every trainable parameter). */
  params?: string[];
  threads?: number;
  trainMode?: boolean;
}

export class GradientProbe {
  readonly names: string[];
  private readonly feed: Map<string, Float32Array>;
  private readonly steps: StepCache;
  /** Example-gradient evaluations so far (cost accounting). */
  exampleGradients = 0;

  constructor(model: Model, opts: ProbeOptions) {
    this.names = opts.params ?? trainableParameters(model);
    this.feed = new Map([...copyParameters(model, this.names), ...copyParameters(model, runningStatistics(model))]);
    this.steps = new StepCache({ model, loss: opts.loss, params: this.names, trainMode: opts.trainMode ?? false, threads: opts.threads });
  }

  /** Gradient of the batch loss with respect to every probed parameter, and the batch loss and logits. */
  async gradients(inputs: StepInputsWithX): Promise<{ grads: Map<string, Float32Array>; loss: number; logits: Float32Array }> {
    const step = await this.steps.get(inputs.batchSize);
    const result = await step.run(this.feed, inputs);
    this.exampleGradients += inputs.batchSize;
    const grads = new Map<string, Float32Array>();
    for (const name of this.names) grads.set(name, result.grads.get(name) ?? new Float32Array(this.feed.get(name)!.length));
    return { grads, loss: result.loss, logits: result.logits };
  }

  release(): void {
    this.steps.release();
  }
}

export type StepInputsWithX = BatchExtras & { x: Float32Array; batchSize: number };

export interface AccumulateOptions {
  ds: Dataset;
  indices: Int32Array;
  batchSize: number;
  /** Labels/targets/weights per batch (default: the true labels). */
  extras?: (batch: Int32Array, y: Int32Array) => BatchExtras;
  /** Called with each batch's gradients (in batch order, sequential, unshuffled). */
  visit: (grads: Map<string, Float32Array>, batch: Int32Array, logits: Float32Array) => void;
  signal?: AbortSignal;
}

/** Runs the probe over consecutive (unshuffled) batches of `indices`; returns the number of batches. */
export async function forEachBatchGradient(probe: GradientProbe, o: AccumulateOptions): Promise<number> {
  const width = featureCount(o.ds);
  const x = new Float32Array(o.batchSize * width);
  const y = new Int32Array(o.batchSize);
  let batches = 0;
  for (let start = 0; start < o.indices.length; start += o.batchSize) {
    checkCancelled(o.signal);
    const batch = o.indices.subarray(start, Math.min(start + o.batchSize, o.indices.length));
    const n = gatherBatch(o.ds, batch, 0, batch.length, x, y);
    const labels = y.slice(0, n);
    const extras = o.extras ? o.extras(batch, labels) : { labels };
    const { grads, logits } = await probe.gradients({ batchSize: n, x: x.subarray(0, n * width), ...extras });
    o.visit(grads, batch, logits);
    batches++;
  }
  return batches;
}

/** Zero-filled arrays shaped like the named parameters. */
export function zerosLike(probe: GradientProbe, model: Model): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  for (const name of probe.names) out.set(name, new Float32Array((model.graph.initializers.get(name)!.data as Float32Array).length));
  return out;
}

/** acc[name] += g[name] (or f(g) elementwise). */
export function accumulate(acc: Map<string, Float32Array>, grads: ReadonlyMap<string, Float32Array>, f?: (g: number) => number, scale = 1): void {
  for (const [name, a] of acc) {
    const g = grads.get(name);
    if (!g) continue;
    addInto(a, g, f, scale);
  }
}

function addInto(a: Float32Array, g: Float32Array, f: ((g: number) => number) | undefined, scale: number): void {
  if (f) for (let i = 0; i < a.length; i++) a[i] += scale * f(g[i]);
  else for (let i = 0; i < a.length; i++) a[i] += scale * g[i];
}

/** Σ over the forget batches of ∇θ(−CE), model in evaluation mode: the forget-loss gradient SalUn and DEL score with. */
export async function forgetLossGradient(ctx: Pick<MethodContext, 'model' | 'train' | 'forget' | 'threads' | 'signal'>, batchSize: number): Promise<{ gradient: Map<string, Float32Array>; exampleGradients: number }> {
  const probe = new GradientProbe(ctx.model, { loss: [{ kind: 'ce' }], threads: ctx.threads });
  try {
    const gradient = zerosLike(probe, ctx.model);
    await forEachBatchGradient(probe, {
      ds: ctx.train, indices: ctx.forget, batchSize, signal: ctx.signal,
      extras: (_b, y) => ({ labels: y, weights: [constantWeights(y.length, -1)] }),
      visit: (g) => accumulate(gradient, g),
    });
    return { gradient, exampleGradients: probe.exampleGradients };
  } finally {
    probe.release();
  }
}
