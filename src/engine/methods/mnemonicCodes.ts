/**
 * Mnemonic codes (Yamashita, Yamada, Shibata, ACML 2024; docs/methods.md §2.4), the training side: the method
 * changes training, so the job runner trains with `trainWithMnemonicCodes`. One code c_k per class, an
 * input-shaped tensor of i.i.d. U[0, 1) values; every training example (x, y) is replaced by (c_y, y) with
 * probability t_mix. The code seed is stored in the model's metadata so the codes can be regenerated at
 * forgetting time (mnemonic.ts); no data is needed then.
 */
import type { TrainingRecipe } from '../contracts/recipe';
import type { Dataset } from '../data/types';
import type { Model } from '../graph/ir';
import { optimizerFor, scheduleFor } from '../train/supervised';
import { LetheError } from '../util/errors';
import { Rng } from '../util/rng';
import { scheduled, stepsPerPass, trainPass } from './common/loop';
import { withTrainer } from './common/trainer';

/** Metadata key holding how the codes were made: {"seed", "classes", "exampleShape", "tMix"}. */
export const MNEMONIC_METADATA_KEY = 'lethe.mnemonic_codes';

export interface MnemonicInfo {
  seed: number;
  classes: number;
  exampleShape: number[];
  tMix: number;
}

/** K codes, each shaped like one example, i.i.d. U[0, 1) (not normalised like the data, as in the reference). */
export function generateMnemonicCodes(classes: number, exampleShape: number[], seed: number): Float32Array {
  const rng = new Rng(seed);
  const d = exampleShape.reduce((a, b) => a * b, 1);
  const codes = new Float32Array(classes * d);
  for (let i = 0; i < codes.length; i++) codes[i] = rng.uniform();
  return codes;
}

export interface MnemonicTrainingOptions {
  recipe: TrainingRecipe;
  /** Probability of replacing a training example by its class's code (paper: 0.1 MNIST, 0.3 CIFAR-10). */
  tMix: number;
  /** Seed of the codes (stored in the model's metadata). */
  codeSeed: number;
  rng: Rng;
  threads?: number;
  signal?: AbortSignal;
  progress?(fraction: number, message: string): void;
}

/**
 * Trains `model` on ds[indices] with mnemonic-code mixing (cross-entropy, the recipe's optimiser and
 * schedule). The returned model carries the code description in its metadata.
 */
export async function trainWithMnemonicCodes(model: Model, ds: Dataset, indices: Int32Array, o: MnemonicTrainingOptions): Promise<{ model: Model; codes: Float32Array; exampleGradients: number }> {
  if (!(o.tMix >= 0 && o.tMix <= 1)) throw new LetheError(`tMix = ${o.tMix} must lie in [0, 1]`, undefined, 'mnemonic-code training');
  if (indices.length === 0) throw new LetheError('nothing to train on: the training set is empty', undefined, 'mnemonic-code training');
  const classes = ds.classNames.length;
  const codes = generateMnemonicCodes(classes, ds.exampleShape, o.codeSeed);
  const d = codes.length / classes;
  return withTrainer(model, { loss: [{ kind: 'ce' }], optimizer: optimizerFor(o.recipe), threads: o.threads }, async (trainer) => {
    const perEpoch = stepsPerPass(indices.length, o.recipe.batchSize);
    const lr = scheduled(scheduleFor(o.recipe, perEpoch), perEpoch * o.recipe.epochs);
    for (let e = 0; e < o.recipe.epochs; e++) {
      const { meanLoss } = await trainPass({
        trainer, ds, indices, batchSize: o.recipe.batchSize, rng: o.rng, lr: lr.next, signal: o.signal,
        transform: (_b, x, y) => {
          for (let r = 0; r < y.length; r++) if (o.rng.uniform() < o.tMix) x.set(codes.subarray(y[r] * d, (y[r] + 1) * d), r * d);
        },
      });
      o.progress?.((e + 1) / o.recipe.epochs, `epoch ${e + 1}/${o.recipe.epochs}, loss ${meanLoss.toFixed(4)}`);
    }
    const trained = trainer.toModel();
    const info: MnemonicInfo = { seed: o.codeSeed, classes, exampleShape: ds.exampleShape, tMix: o.tMix };
    return { model: { ...trained, metadata: { ...trained.metadata, [MNEMONIC_METADATA_KEY]: JSON.stringify(info) } }, codes, exampleGradients: trainer.exampleGradients };
  });
}

/** How a model's codes were made, from its metadata; a LetheError when it was not trained with codes for this data. */
export function mnemonicInfoOf(model: Model, ds: Dataset): MnemonicInfo {
  const raw = model.metadata[MNEMONIC_METADATA_KEY];
  const where = 'method "mnemonic"';
  if (!raw) throw new LetheError(`the model was not trained with mnemonic codes (no "${MNEMONIC_METADATA_KEY}" metadata); train it with mnemonic-code mixing first`, model.file, where);
  let info: MnemonicInfo;
  try {
    info = JSON.parse(raw) as MnemonicInfo;
  } catch {
    throw new LetheError(`metadata "${MNEMONIC_METADATA_KEY}" is not valid JSON`, model.file, where);
  }
  if (info.classes !== ds.classNames.length || info.exampleShape.join('x') !== ds.exampleShape.join('x')) {
    throw new LetheError(`the mnemonic codes were made for ${info.classes} classes of shape [${info.exampleShape}], but the data has ${ds.classNames.length} classes of shape [${ds.exampleShape}]`, model.file, where);
  }
  return info;
}

/** The codes a model was trained with, regenerated from its metadata. */
export function mnemonicCodesOf(model: Model, ds: Dataset): { info: MnemonicInfo; codes: Float32Array } {
  const info = mnemonicInfoOf(model, ds);
  return { info, codes: generateMnemonicCodes(info.classes, info.exampleShape, info.seed) };
}
