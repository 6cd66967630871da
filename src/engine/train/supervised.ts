/**
 * Plain supervised training with a recipe (cross-entropy, seeded shuffles, optimiser, schedule): how
 * the example checkpoint, `lethe train`, the retrain reference and finetune-style methods train.
 */
import { gatherBatch } from '../data/splits';
import type { Dataset } from '../data/types';
import type { Model } from '../graph/ir';
import type { TrainingRecipe } from '../contracts/recipe';
import { LetheError } from '../util/errors';
import type { Rng } from '../util/rng';
import type { Mask, OptimizerSpec } from './optim';
import { lrAt, type ScheduleSpec } from './schedule';
import { Trainer, epochBatches } from './trainer';

export interface SupervisedOptions {
  recipe: TrainingRecipe;
  rng: Rng;
  threads?: number;
  masks?: ReadonlyMap<string, Mask>;
  params?: string[];
  signal?: AbortSignal;
  /** Called after every epoch with the mean training loss. */
  onEpoch?(epoch: number, meanLoss: number): void;
  progress?(fraction: number, message: string): void;
}

export function optimizerFor(recipe: TrainingRecipe): OptimizerSpec {
  return recipe.optimizer === 'sgd'
    ? { kind: 'sgd', momentum: recipe.momentum, nesterov: recipe.nesterov === true, weightDecay: recipe.weightDecay }
    : { kind: recipe.optimizer, weightDecay: recipe.weightDecay };
}

export function scheduleFor(recipe: TrainingRecipe, stepsPerEpoch: number): ScheduleSpec {
  switch (recipe.schedule) {
    case 'constant': return { kind: 'constant', lr: recipe.lr };
    case 'step': return { kind: 'step', lr: recipe.lr, stepSize: stepsPerEpoch, gamma: 0.5 };
    case 'cosine': return { kind: 'cosine', lr: recipe.lr };
    case 'linear': return { kind: 'warmup', lr: recipe.lr, warmupSteps: Math.round(stepsPerEpoch / 2), decay: 'linear' };
  }
}

/** Train `model` with cross-entropy on `ds[indices]`; returns the trained model (the input is not modified). */
export async function trainSupervised(model: Model, ds: Dataset, indices: Int32Array, opts: SupervisedOptions): Promise<{ model: Model; exampleGradients: number }> {
  const { recipe } = opts;
  if (indices.length === 0) throw new LetheError('nothing to train on: the training set is empty');
  const trainer = new Trainer(model, {
    loss: [{ kind: 'ce' }],
    optimizer: optimizerFor(recipe),
    params: opts.params,
    masks: opts.masks,
    trainMode: true,
    threads: opts.threads,
  });
  try {
    const width = ds.x.length / ds.n;
    const x = new Float32Array(recipe.batchSize * width);
    const y = new Int32Array(recipe.batchSize);
    const stepsPerEpoch = Math.ceil(indices.length / recipe.batchSize);
    const total = stepsPerEpoch * recipe.epochs;
    const schedule = scheduleFor(recipe, stepsPerEpoch);
    let step = 0;
    for (let epoch = 0; epoch < recipe.epochs; epoch++) {
      let lossSum = 0;
      let seen = 0;
      for (const batch of epochBatches(indices, recipe.batchSize, opts.rng)) {
        if (opts.signal?.aborted) throw new LetheError('the job was cancelled');
        const n = gatherBatch(ds, batch, 0, batch.length, x, y);
        const { loss } = await trainer.step({ batchSize: n, x: x.subarray(0, n * width), labels: y.subarray(0, n) }, lrAt(step, total, schedule), opts.rng);
        lossSum += loss * n;
        seen += n;
        step++;
        if (step % 10 === 0) opts.progress?.(step / total, `epoch ${epoch + 1}/${recipe.epochs}, loss ${(lossSum / seen).toFixed(4)}`);
      }
      opts.onEpoch?.(epoch, lossSum / seen);
    }
    return { model: trainer.toModel(), exampleGradients: trainer.exampleGradients };
  } finally {
    trainer.release();
  }
}
