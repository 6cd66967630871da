/**
 * DM-Direct outputs for an ONNX model (docs/methods.md §2.2.2–2.2.3): per-class TRAK attributions β[i, x, k] of the
 * forget examples on chosen evaluation points, then f̂(x) = f_{θ₀}(x) − m·Σ_{i∈F} β[i, x, ·].
 *
 * The paper's β come from regression datamodels over 1,000–20,000 subset-trained models, which a 2-core CPU
 * cannot afford; its code base also carries TRAK helpers that can stand in (docs/methods.md §2.2.3). Here the kernel
 * is built from margin features of every example θ₀ was trained on (F ∪ R), and the target side uses each class
 * logit as TRAK's output function, so β has the per-class shape DM-Direct subtracts.
 */
import type { Dataset } from '../data/types';
import type { Model } from '../graph/ir';
import { LetheError } from '../util/errors';
import { Gemm } from './gemm';
import { OnnxGradientSource } from './onnxGradients';
import type { ProjectionKind } from './projection';
import { prepareTrak, trakScores } from './trak';
import { dmDirectPredict } from './dmDirectPredict';

export interface DmDirectOutputOptions {
  /** TRAK projection dimension k (TRAK's default 2048). */
  projDim: number;
  projection: ProjectionKind;
  seed: number;
  /** Relative kernel damping (λ = damping × mean diagonal of ΦᵀΦ). */
  damping: number;
  kernel: 'trak' | 'gauss-newton' | 'multiclass-gauss-newton';
  /** The DM multiplier m (reference: 1). */
  multiplier: number;
  /** Parameters to differentiate (default: all trainable). */
  params?: string[];
  threads?: number;
  signal?: AbortSignal;
  progress?(fraction: number, message: string): void;
}

export interface DmDirectOutputs {
  /** θ₀'s logits on the targets (T × K). */
  original: Float32Array;
  /** DM-Direct's predicted logits of the retrained model (T × K). */
  predicted: Float32Array;
  /** β of each forget example on each target and class (|F| × T × K), for inspection and storage. */
  attributions: Float32Array;
  /** Per-example gradient evaluations spent (kernel featurisation + K per target). */
  exampleGradients: number;
  lambda: number;
}

/**
 * `kernelExamples` are the training examples θ₀ saw (F ∪ R) and must contain every forget example;
 * `targets` index `targetData` (which may be the training split itself).
 */
export async function dmDirectOutputs(
  model: Model,
  train: Dataset,
  forget: Int32Array,
  kernelExamples: Int32Array,
  targetData: Dataset,
  targets: Int32Array,
  opts: DmDirectOutputOptions,
): Promise<DmDirectOutputs> {
  if (forget.length === 0) throw new LetheError('the forget set is empty; DM-Direct needs at least one forget example', undefined, 'DM-Direct');
  if (targets.length === 0) throw new LetheError('no evaluation points to predict', undefined, 'DM-Direct');
  const inKernel = new Set(kernelExamples);
  for (const i of forget) if (!inKernel.has(i)) throw new LetheError(`forget example ${i} is not among the training examples the kernel is built from`, undefined, 'DM-Direct');
  const trainSource = new OnnxGradientSource(model, train, { params: opts.params, threads: opts.threads });
  const targetSource = targetData === train ? trainSource : new OnnxGradientSource(model, targetData, { params: opts.params, threads: opts.threads });
  const gemm = new Gemm({ threads: opts.threads });
  try {
    opts.progress?.(0, `attribution: featurising ${kernelExamples.length} training examples (k = ${opts.projDim})`);
    const state = await prepareTrak({ train: trainSource, target: targetSource }, kernelExamples, {
      projection: { dim: opts.projDim, kind: opts.projection, seed: opts.seed },
      damping: opts.damping,
      kernel: opts.kernel,
      signal: opts.signal,
      featureProgress: (done, total) => opts.progress?.(0.8 * (done / total), `attribution: featurised ${done} of ${total} training gradients`),
    }, gemm);
    opts.progress?.(0.8, `attribution: scoring ${targets.length} targets × ${trainSource.classes} classes`);
    const attributions = (await trakScores([state], { targets, output: 'logits', rows: forget }, gemm, opts.signal))!;
    const original = await targetSource.logits(targets);
    const K = trainSource.classes;
    const predicted = dmDirectPredict(original, attributions, forget.length, K, { multiplier: opts.multiplier });
    opts.progress?.(1, 'attribution: done');
    const kernelGradients = kernelExamples.length * (opts.kernel === 'multiclass-gauss-newton' ? K : 1);
    return { original, predicted, attributions, exampleGradients: kernelGradients + targets.length * K, lambda: state.lambda };
  } finally {
    await gemm.release();
    trainSource.release();
    if (targetSource !== trainSource) targetSource.release();
  }
}
