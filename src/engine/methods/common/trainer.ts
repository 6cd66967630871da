/** The trainer set-up the training-based methods share: a Trainer released whatever happens, and its result. */
import type { Model } from '../../graph/ir';
import type { Mask } from '../../train/optim';
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

/** Cross-entropy and SGD with the method's momentum and weight decay: how most baselines fine-tune. */
export function sgdCrossEntropy(p: { momentum: number; weightDecay: number }, threads: number, masks?: ReadonlyMap<string, Mask>): TrainerOptions {
  return { loss: [{ kind: 'ce' }], optimizer: { kind: 'sgd', momentum: p.momentum, weightDecay: p.weightDecay }, masks, threads };
}

/** The trained model and the example gradients it cost. */
export function trainedResult(trainer: Trainer, notes?: string[]): MethodResult {
  return { model: trainer.toModel(), exampleGradients: trainer.exampleGradients, ...(notes ? { notes } : {}) };
}
