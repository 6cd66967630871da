/** The trainer set-up the training-based methods share: a Trainer released whatever happens, and its result. */
import type { Model } from '../../graph/ir';
import type { Mask, OptimizerSpec } from '../../train/optim';
import { Trainer, type TrainerOptions } from '../../train/trainer';
import type { MethodResult } from '../types';

/** Runs `body` with a Trainer on `model`, releasing its sessions afterwards. */
export async function withTrainer<T>(model: Model, options: TrainerOptions, body: (trainer: Trainer) => Promise<T>): Promise<T> {
  const trainer = new Trainer(model, options);
  try {
    return await body(trainer);
  } finally {
    trainer.release();
  }
}

/** The method's optimiser (SGD unless it says otherwise) with its momentum and weight decay. */
export function methodOptimizer(p: { optimizer?: 'sgd' | 'adam' | 'adamw'; momentum: number; weightDecay: number }): OptimizerSpec {
  const kind = p.optimizer ?? 'sgd';
  return kind === 'sgd' ? { kind, momentum: p.momentum, weightDecay: p.weightDecay } : { kind, weightDecay: p.weightDecay };
}

/** Cross-entropy and the method's optimiser: how most baselines fine-tune. */
export function crossEntropyTraining(p: Parameters<typeof methodOptimizer>[0], threads: number, masks?: ReadonlyMap<string, Mask>): TrainerOptions {
  return { loss: [{ kind: 'ce' }], optimizer: methodOptimizer(p), masks, threads };
}

/** The trained model and the example gradients it cost. */
export function trainedResult(trainer: Trainer, notes?: string[]): MethodResult {
  return { model: trainer.toModel(), exampleGradients: trainer.exampleGradients, ...(notes ? { notes } : {}) };
}
