/**
 * The pieces every training-based method repeats, built on the shared Trainer: one pass of optimiser steps
 * over index batches, a step-counting learning-rate schedule, and cancellation.
 */
import { featureCount, gatherBatch } from '../../data/splits';
import type { Dataset } from '../../data/types';
import type { StepInputs } from '../../runtime/trainStep';
import { lrAt, type ScheduleSpec } from '../../train/schedule';
import { epochBatches, type Trainer } from '../../train/trainer';
import { LetheError } from '../../util/errors';
import type { Rng } from '../../util/rng';

/** What a method adds to a batch besides x: labels, targets and weights per loss term. */
export type BatchExtras = Omit<StepInputs, 'x'>;

export interface PassOptions {
  trainer: Trainer;
  ds: Dataset;
  /** Examples of the pass, shuffled into batches of `batchSize` with `rng`... */
  indices?: Int32Array;
  /** ...or the batches themselves (dataset indices), for methods that compose batches (NegGrad+ pairs). */
  batches?: Iterable<Int32Array>;
  batchSize: number;
  rng: Rng;
  /** Learning rate of the next step (called once per step, so a schedule can count steps). */
  lr: () => number;
  /**
   * Labels/targets/weights for one batch. `batch` are the dataset indices, `y` their true labels.
   * Default: cross-entropy to the true labels.
   */
  extras?: (batch: Int32Array, y: Int32Array) => BatchExtras;
  /** Rewrites a gathered batch in place before the step (mnemonic-code mixing replaces some inputs). */
  transform?: (batch: Int32Array, x: Float32Array, y: Int32Array) => void;
  /** Skip the last, smaller batch (DEL's loaders use drop_last). */
  dropLast?: boolean;
  signal?: AbortSignal;
  /** Called after each step with the batch loss. */
  onStep?: (loss: number) => void;
}

/** Number of optimiser steps one pass takes. */
export function stepsPerPass(n: number, batchSize: number, dropLast = false): number {
  return dropLast ? Math.floor(n / batchSize) : Math.ceil(n / batchSize);
}

/** One pass over shuffled `indices` (or the given `batches`); returns the example-weighted mean batch loss. */
export async function trainPass(o: PassOptions): Promise<{ steps: number; meanLoss: number }> {
  const width = featureCount(o.ds);
  let steps = 0;
  let lossSum = 0;
  let seen = 0;
  const batches = o.batches ?? epochBatches(o.indices ?? new Int32Array(0), o.batchSize, o.rng);
  let x = new Float32Array(o.batchSize * width);
  let y = new Int32Array(o.batchSize);
  for (const batch of batches) {
    if (o.dropLast && batch.length < o.batchSize) continue;
    if (batch.length > y.length) {
      x = new Float32Array(batch.length * width);
      y = new Int32Array(batch.length);
    }
    checkCancelled(o.signal);
    const n = gatherBatch(o.ds, batch, 0, batch.length, x, y);
    if (o.transform) o.transform(batch, x.subarray(0, n * width), y.subarray(0, n));
    const labels = y.slice(0, n);
    const extras = o.extras ? o.extras(batch, labels) : { labels };
    const { loss } = await o.trainer.step({ batchSize: n, x: x.subarray(0, n * width), ...extras }, o.lr(), o.rng);
    o.onStep?.(loss);
    lossSum += loss * n;
    seen += n;
    steps++;
  }
  return { steps, meanLoss: seen > 0 ? lossSum / seen : 0 };
}

/** A schedule that counts its own steps: `next()` returns the lr for the coming step. */
export function scheduled(spec: ScheduleSpec, totalSteps: number): { next(): number; step(): number } {
  let step = 0;
  const total = Math.max(1, totalSteps);
  return {
    next: () => lrAt(Math.min(step++, total), total, spec),
    step: () => step,
  };
}

export function checkCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new LetheError('the job was cancelled');
}

/** Per-example weights filled with one value (loss terms switched on, off or negated per pass). */
export function constantWeights(n: number, value: number): Float32Array {
  return new Float32Array(n).fill(value);
}

/**
 * Per-example weights that make the loss a weighted sum of group means, Σ_g c_g·mean_{i∈g} ℓ_i, given that a
 * loss term reduces as (1/B)·Σ_i w_i·ℓ_i over the B rows of the batch: row i of group g gets c_g·B/|g|.
 * `groupOf[i]` is the group of row i.
 */
export function groupMeanWeights(groupOf: ArrayLike<number>, coefficients: number[]): Float32Array {
  const counts = new Array<number>(coefficients.length).fill(0);
  for (let i = 0; i < groupOf.length; i++) counts[groupOf[i]]++;
  const w = new Float32Array(groupOf.length);
  for (let i = 0; i < groupOf.length; i++) w[i] = (coefficients[groupOf[i]] * groupOf.length) / counts[groupOf[i]];
  return w;
}
