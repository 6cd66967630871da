/**
 * The one training loop every method uses: runs training-step graphs on onnxruntime (one per batch
 * size, created on demand) over the optimiser's live parameters, applies the optimiser, keeps
 * BatchNormalization running statistics, and stops with a clear error when training diverges.
 */
import type { Model } from '../graph/ir';
import type { LossTerm, StepInputs } from '../runtime/trainStep';
import { StepCache } from '../runtime/stepCache';
import { LetheError } from '../util/errors';
import type { Rng } from '../util/rng';
import { createOptimizer, type Mask, type Optimizer, type OptimizerSpec } from './optim';
import { copyParameters, runningStatistics, trainableParameters, withParameters } from './params';

export interface TrainerOptions {
  /** Loss = sum of terms; each term has its own per-example weights (negative = ascent). */
  loss: LossTerm[];
  optimizer: OptimizerSpec;
  /** Parameters to train (default: every trainable parameter). Others stay constant. */
  params?: string[];
  /** Entries with mask 0 never change (SalUn, DEL). */
  masks?: ReadonlyMap<string, Mask>;
  /** BatchNormalization with batch statistics and running-stat updates; Dropout active. */
  trainMode?: boolean;
  threads?: number;
  /** Parameter norm above which training counts as diverged (ascent methods can explode). */
  maxParamNorm?: number;
}

export class Trainer {
  /** The live parameter values (the optimiser's), updated in place by each step. */
  readonly params: ReadonlyMap<string, Float32Array>;
  private readonly stats: Map<string, Float32Array>;
  private readonly optimizer: Optimizer;
  private readonly steps: StepCache;
  private stepCount = 0;
  /** Example-gradient evaluations so far (cost accounting: one per example per step). */
  exampleGradients = 0;

  constructor(
    private readonly model: Model,
    private readonly opts: TrainerOptions,
  ) {
    const names = opts.params ?? trainableParameters(model);
    this.optimizer = createOptimizer(opts.optimizer, copyParameters(model, names), opts.masks);
    this.params = this.optimizer.params;
    this.stats = copyParameters(model, opts.trainMode === false ? [] : runningStatistics(model));
    this.steps = new StepCache({ model, loss: opts.loss, params: names, trainMode: opts.trainMode ?? true, threads: opts.threads });
  }

  /** One optimiser step on one batch; returns the batch loss and logits (before the update). */
  async step(inputs: StepInputs & { batchSize: number }, lr: number, rng?: Rng): Promise<{ loss: number; logits: Float32Array }> {
    const step = await this.steps.get(inputs.batchSize);
    const feed = new Map([...this.params, ...this.stats]);
    // Gradients land in the optimiser's own buffers, so its update copies nothing.
    const result = await step.run(feed, { ...inputs, dropoutSeed: rng?.nextU32() }, this.optimizer.gradientBuffers);
    if (!Number.isFinite(result.loss)) {
      throw new LetheError(`training diverged at step ${this.stepCount + 1}: the loss is ${result.loss}; no checkpoint was written. Lower the learning rate or the number of ascent steps.`);
    }
    this.optimizer.step(result.grads, lr);
    for (const [name, value] of result.runningStats ?? []) this.stats.get(name)?.set(value);
    this.stepCount++;
    this.exampleGradients += inputs.batchSize;
    if (this.stepCount % 20 === 0) this.checkFinite();
    return { loss: result.loss, logits: result.logits };
  }

  /** The current model: the original graph with trained parameters and running statistics. */
  toModel(): Model {
    this.checkFinite();
    return withParameters(this.model, new Map([...this.params, ...this.stats]));
  }

  release(): void {
    this.steps.release();
  }

  private checkFinite(): void {
    const limit = this.opts.maxParamNorm ?? 1e6;
    let sq = 0;
    for (const [name, p] of this.params) {
      for (let i = 0; i < p.length; i++) {
        const v = p[i];
        if (!Number.isFinite(v)) throw new LetheError(`training diverged: parameter "${name}" holds ${v}; no checkpoint was written.`);
        sq += v * v;
      }
    }
    if (Math.sqrt(sq) > limit) {
      throw new LetheError(`training diverged: the parameter norm reached ${Math.sqrt(sq).toExponential(2)} (limit ${limit}); no checkpoint was written.`);
    }
  }
}

/** Seeded mini-batches over a list of example indices: a fresh permutation per epoch. */
export function* epochBatches(indices: Int32Array, batchSize: number, rng: Rng): Generator<Int32Array> {
  const order = rng.permutation(indices.length);
  for (let start = 0; start < order.length; start += batchSize) {
    const end = Math.min(start + batchSize, order.length);
    const batch = new Int32Array(end - start);
    for (let i = start; i < end; i++) batch[i - start] = indices[order[i]];
    yield batch;
  }
}
