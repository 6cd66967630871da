/**
 * One-shot unlearning with mnemonic codes (Yamashita, Yamada, Shibata, ACML 2024 / PMLR 260;
 * tomyamkum/OneShotMU-with-MNCode; methods.md §2.4). Class forgetting only.
 *
 * Training (the method changes training, so it is exported for the job runner as `trainWithMnemonicCodes`):
 * one code c_k per class, an input-shaped tensor of i.i.d. U[0, 1) values; every training example (x, y) is
 * replaced by (c_y, y) with probability t_mix. The code seed is stored in the model's metadata so the codes
 * can be regenerated at forgetting time; no data is needed then.
 *
 * Forgetting, in one shot and from the codes only:
 *   g_k = ∇θ CE(f(c_k), k) for every class k
 *   F_f = mean_{k forgotten} g_k² + 1e-16,   F_r = mean_{k kept} g_k² + 1e-16
 *   per tensor: ρ = exp(log F_f − log F_r) (NaN → 1, ±inf → the tensor's largest finite ρ),
 *               s = min(λ₁, λ₂ / max ρ)
 *   candidates θ ± s·ρ; keep the one maximising (1 − acc on forgotten codes) + acc on kept codes.
 * The released code's perturbation is this deterministic signed step (whether the paper also has a
 * stochastic version is unverified). Defaults: the MNIST MLP settings λ₁ = 1e-3, λ₂ = 10, t_mix = 0.1.
 */
import type { Dataset } from '../data/types';
import type { Model } from '../graph/ir';
import type { TrainingRecipe } from '../contracts/recipe';
import { withParameters } from '../train/params';
import { optimizerFor, scheduleFor } from '../train/supervised';
import { Trainer } from '../train/trainer';
import { LetheError } from '../util/errors';
import { Rng } from '../util/rng';
import { forgottenClasses } from './common/data';
import { GradientProbe } from './common/gradients';
import { scheduled, stepsPerPass, trainPass } from './common/loop';
import { readParams } from './common/params';
import { logitsOf } from './common/predict';
import type { MethodContext, MethodResult, ParamSchema, UnlearningMethod } from './types';

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
  const trainer = new Trainer(model, { loss: [{ kind: 'ce' }], optimizer: optimizerFor(o.recipe), threads: o.threads });
  try {
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
  } finally {
    trainer.release();
  }
}

/** The codes a model was trained with, from its metadata; a LetheError when it was not trained with codes. */
export function mnemonicCodesOf(model: Model, ds: Dataset): { info: MnemonicInfo; codes: Float32Array } {
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
  return { info, codes: generateMnemonicCodes(info.classes, info.exampleShape, info.seed) };
}

/**
 * The per-tensor perturbation magnitude: ρ = F_f/F_r computed as exp(log F_f − log F_r) in float32
 * (NaN → 1, ±inf → the largest finite ρ of the tensor) and the scale s = min(λ₁, λ₂ / max ρ).
 */
export function mnemonicPerturbation(fF: Float32Array, fR: Float32Array, lambda1: number, lambda2: number): { rho: Float32Array; scale: number } {
  const rho = new Float32Array(fF.length);
  let maxFinite = -Infinity;
  for (let i = 0; i < rho.length; i++) {
    const logRatio = Math.fround(Math.fround(Math.log(fF[i])) - Math.fround(Math.log(fR[i])));
    rho[i] = Number.isNaN(logRatio) ? 1 : Math.fround(Math.exp(logRatio));
    if (Number.isFinite(rho[i]) && rho[i] > maxFinite) maxFinite = rho[i];
  }
  for (let i = 0; i < rho.length; i++) if (!Number.isFinite(rho[i])) rho[i] = maxFinite;
  let max = -Infinity;
  for (const v of rho) if (v > max) max = v;
  return { rho, scale: Math.min(lambda1, lambda2 / max) };
}

/** Accuracy on the forgotten codes and on the kept codes (each code labelled with its class). */
export function codeAccuracies(logits: Float32Array, k: number, forget: ReadonlySet<number>): { forget: number; kept: number } {
  let f = 0;
  let r = 0;
  for (let c = 0; c < k; c++) {
    let arg = 0;
    for (let j = 1; j < k; j++) if (logits[c * k + j] > logits[c * k + arg]) arg = j;
    if (arg === c) forget.has(c) ? f++ : r++;
  }
  return { forget: forget.size ? f / forget.size : 0, kept: k - forget.size ? r / (k - forget.size) : 0 };
}

const params = {
  lambda1: { type: 'number', default: 1e-3, min: 0, max: 1e6, description: 'λ₁, the largest scale of the perturbation s·ρ (MNIST MLP: 1e-3; CIFAR-10: 1e-5).' },
  lambda2: { type: 'number', default: 10, min: 0, max: 1e9, description: 'λ₂, the cap on max|Δθ| per tensor: s = min(λ₁, λ₂ / max ρ) (MNIST MLP: 10; CIFAR-10: 1e4).' },
} satisfies ParamSchema;

export const mnemonic: UnlearningMethod = {
  name: 'mnemonic',
  title: 'One-shot unlearning with mnemonic codes',
  citation: 'Yamashita, Yamada, Shibata, "One-Shot Machine Unlearning with Mnemonic Code", ACML 2024 (PMLR 260:255–270)',
  summary: 'For a model trained with one random "mnemonic code" image per class mixed into its data, estimates from the codes alone which parameters matter more to the forgotten class than to the others, and perturbs them in one step; no training data is needed.',
  needs: ['forget', 'mnemonic'],
  params,
  async run(ctx: MethodContext): Promise<MethodResult> {
    const p = readParams('mnemonic', params, ctx.params);
    const { codes } = mnemonicCodesOf(ctx.model, ctx.train);
    const k = ctx.train.classNames.length;
    const d = codes.length / k;
    const inForget = new Set<number>();
    for (const i of ctx.forget) inForget.add(ctx.train.y[i]);
    const whole = new Set(forgottenClasses(ctx.train, ctx.forget));
    const partial = [...inForget].filter((c) => !whole.has(c));
    if (inForget.size === 0 || partial.length > 0) {
      throw new LetheError(
        inForget.size === 0 ? 'the forget set is empty' : `mnemonic-code unlearning forgets whole classes only, but the forget set holds part of class ${partial.map((c) => ctx.train.classNames[c] ?? c).join(', ')}`,
        undefined, 'method "mnemonic"');
    }
    if (inForget.size === k) throw new LetheError('the forget set holds every class; nothing would remain', undefined, 'method "mnemonic"');

    // Fisher diagonals from the codes only: one gradient per class code.
    const probe = new GradientProbe(ctx.model, { loss: [{ kind: 'ce' }], threads: ctx.threads });
    const fF = new Map<string, Float32Array>();
    const fR = new Map<string, Float32Array>();
    try {
      for (const name of probe.names) {
        const n = (ctx.model.graph.initializers.get(name)!.data as Float32Array).length;
        fF.set(name, new Float32Array(n));
        fR.set(name, new Float32Array(n));
      }
      for (let c = 0; c < k; c++) {
        const { grads } = await probe.gradients({ batchSize: 1, x: codes.subarray(c * d, (c + 1) * d), labels: Int32Array.of(c) });
        const target = inForget.has(c) ? fF : fR;
        const share = 1 / (inForget.has(c) ? inForget.size : k - inForget.size);
        for (const [name, g] of grads) {
          const t = target.get(name)!;
          for (let i = 0; i < g.length; i++) t[i] += share * g[i] * g[i];
        }
      }
    } finally {
      probe.release();
    }

    const plus = new Map<string, Float32Array>();
    const minus = new Map<string, Float32Array>();
    let maxStep = 0;
    for (const name of probe.names) {
      const ff = fF.get(name)!.map((v) => v + 1e-16);
      const fr = fR.get(name)!.map((v) => v + 1e-16);
      const { rho, scale } = mnemonicPerturbation(ff, fr, p.lambda1, p.lambda2);
      const theta = ctx.model.graph.initializers.get(name)!.data as Float32Array;
      const a = new Float32Array(theta.length);
      const b = new Float32Array(theta.length);
      for (let i = 0; i < theta.length; i++) {
        a[i] = theta[i] + scale * rho[i];
        b[i] = theta[i] - scale * rho[i];
        maxStep = Math.max(maxStep, scale * rho[i]);
      }
      plus.set(name, a);
      minus.set(name, b);
    }
    const candidates = [
      { sign: '+', model: withParameters(ctx.model, plus) },
      { sign: '−', model: withParameters(ctx.model, minus) },
    ];
    const scored = [];
    for (const c of candidates) {
      const acc = codeAccuracies(await logitsOf(c.model, codes, k, ctx.threads), k, inForget);
      scored.push({ ...c, acc, score: 1 - acc.forget + acc.kept });
    }
    // Ties keep "+", the first candidate evaluated.
    const best = scored[1].score > scored[0].score ? scored[1] : scored[0];
    const before = codeAccuracies(await logitsOf(ctx.model, codes, k, ctx.threads), k, inForget);
    return {
      model: best.model,
      exampleGradients: k,
      notes: [
        `forgot class${inForget.size > 1 ? 'es' : ''} ${[...inForget].map((c) => ctx.train.classNames[c] ?? c).join(', ')} from ${k} codes; largest |Δθ| ${maxStep.toExponential(3)}`,
        `code accuracy before: forgotten ${before.forget.toFixed(2)}, kept ${before.kept.toFixed(2)}`,
        ...scored.map((s) => `candidate θ ${s.sign} s·ρ: forgotten-code accuracy ${s.acc.forget.toFixed(2)}, kept-code accuracy ${s.acc.kept.toFixed(2)}${s === best ? ' (chosen)' : ''}`),
      ],
    };
  },
};

export default mnemonic;
