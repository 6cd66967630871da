/**
 * Budgets derived from the original's recipe (docs/methods.md §2.7). A paper fine-tunes for a share of its
 * original's epochs, at a ratio of its original's learning rate, often with its original's optimiser and batch;
 * a method states that relation once, next to its reference defaults, and a job applies it to the recipe of the
 * model at hand for every parameter the job leaves unset.
 */
import type { TrainingRecipe } from '../../contracts/recipe';

/** How one parameter follows from the original's recipe: the formula (shown in the log), its source, the value. */
export interface Derivation<T> {
  formula: string;
  source: string;
  value(recipe: TrainingRecipe): T;
}

/** The derivation as `lethe methods --json` shows it. */
export function ruleText(d: Derivation<unknown>): string {
  return `${d.formula} (${d.source})`;
}

/** The paper's unlearning epochs as a share of its original's: max(1, round(E₀ × unlearn/original)), at most 1000 (the schema's bound). */
export function epochShare(unlearn: number, original: number, source: string): Derivation<number> {
  const share = unlearn === original ? 'E₀' : `max(1, round(E₀ × ${unlearn}/${original}))`;
  return { formula: share, source, value: (r) => Math.min(1000, Math.max(1, Math.round((r.epochs * unlearn) / original))) };
}

/** The paper's unlearning lr as a ratio of its original's: lr₀ × unlearn/original. */
export function lrRatio(unlearn: number, original: number, source: string): Derivation<number> {
  return { formula: `lr₀ × ${unlearn}/${original}`, source, value: (r) => (r.lr * unlearn) / original };
}

type Copied = 'optimizer' | 'batchSize' | 'momentum' | 'weightDecay';
const COPIED_NAMES: Record<Copied, string> = { optimizer: 'optimiser', batchSize: 'batch size', momentum: 'momentum', weightDecay: 'weight decay' };

/** A setting the paper's unlearning shares with its original's training: the original's own. */
export function originals<K extends Copied>(key: K, source: string): Derivation<TrainingRecipe[K]> {
  return { formula: `the original's ${COPIED_NAMES[key]}`, source, value: (r) => r[key] };
}

/** A paper's original training, as far as its budget relation needs it. */
export interface PaperOriginal {
  epochs: number;
  lr: number;
  /** Names the paper and its original's recipe. */
  source: string;
}

/** SalUn and Unlearn-Sparse (one argument parser for training and unlearning): docs/methods.md §2.1, §2.6. */
export const SALUN_ORIGINAL: PaperOriginal = {
  epochs: 182,
  lr: 0.1,
  source: 'SalUn / Unlearn-Sparse: a 182-epoch ResNet-18 original at SGD lr 0.1, batch 256, unlearnt with the same optimiser and batch',
};

/** DEL's CIFAR-10 ResNet-18 (`scripts/run_pretrain.sh`), whose fine-tuning loop also runs its baselines: docs/methods.md §2.5. */
export const DEL_ORIGINAL: PaperOriginal = {
  epochs: 30,
  lr: 0.1,
  source: 'DEL: a 30-epoch ResNet-18 original at SGD lr 0.1, batch 128, wd 0, fine-tuned with the same optimiser, batch and wd',
};

/** The DMM authors' CIFAR-10 ResNet-9, against which their code tunes its baselines: docs/methods.md §2.1, §2.6. */
export const DMM_ORIGINAL: PaperOriginal = {
  epochs: 24,
  lr: 0.4,
  source: 'DMM: a 24-epoch ResNet-9 original at SGD peak lr 0.4, momentum 0.9, wd 5e-4',
};

/**
 * The budget of a method that fine-tunes the way its original was trained: the epochs as the paper's share of
 * the original's, the lr as the paper's ratio, and the original's optimiser, batch size, momentum and weight
 * decay (the paper's unlearning run uses its original's).
 */
export function fineTuneBudget(original: PaperOriginal, unlearn: { epochs: number; lr: number }) {
  return {
    epochs: epochShare(unlearn.epochs, original.epochs, original.source),
    lr: lrRatio(unlearn.lr, original.lr, original.source),
    optimizer: originals('optimizer', original.source),
    batchSize: originals('batchSize', original.source),
    momentum: originals('momentum', original.source),
    weightDecay: originals('weightDecay', original.source),
  };
}
