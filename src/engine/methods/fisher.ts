/**
 * Fisher forgetting (Golatkar, Achille, Soatto, "Eternal Sunshine of the Spotless Net", CVPR 2020), as
 * implemented in SalUn / Unlearn-Sparse `fisher_new` (docs/methods.md §2.6). Adds Gaussian noise shaped by the
 * inverse Fisher of the retain set, so directions the retain set does not pin down (where the forget set's
 * information can hide) are scrambled:
 *   F = Σ_y mean_batches[ mean_batch p(y|x) · (∇θ CE(batch, all labels = y))² ]   on R (expected Fisher)
 *   var = α·clamp(1/(F + 1e-8), max 1e3; 1e2 for the classifier head)
 *   weights: var averaged over the input axis (one variance per output unit and kernel position)
 *   class forgetting: the forgotten classes' head rows get mean 0 and variance 1e-4
 *   head and 1-D tensors (biases, norms): var ×10
 *   θ ← μ + √var·N(0, I),  μ = θ₀
 * The head is the last Conv/Gemm/MatMul layer; the reference picks tensors whose first dimension equals the
 * number of classes, which misfires on a hidden layer of that width. Default α = 3e-6, the reference
 * function's default (SCRUB notebooks: 1e-7 or 3e-6); SalUn's shared `--alpha` default 0.2 is for other methods.
 */
import { numel, type Model } from '../graph/ir';
import { withParameters } from '../train/params';
import { z } from 'zod';
import { forgottenClasses, numClasses } from './common/data';
import { forEachBatchGradient, GradientProbe, zerosLike } from './common/gradients';
import { classifierHead, forEachUnit, unitLayouts, type UnitLayout } from './common/select';
import { defineMethod } from './define';

/** Mean over the input axis, broadcast back: Conv [out, in, k…] → axis 1; 2-D [out, in] or [in, out] → the non-unit axis. */
export function meanOverInputAxis(values: Float32Array, layout: UnitLayout): Float32Array {
  const dims = layout.dims;
  const inAxis = dims.length > 2 ? 1 : 1 - layout.axis;
  const outer = numel(dims.slice(0, inAxis));
  const len = dims[inAxis];
  const inner = numel(dims.slice(inAxis + 1));
  const out = new Float32Array(values.length);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let sum = 0;
      for (let a = 0; a < len; a++) sum += values[(o * len + a) * inner + i];
      const mean = sum / len;
      for (let a = 0; a < len; a++) out[(o * len + a) * inner + i] = mean;
    }
  }
  return out;
}

/** The noise variance of every parameter entry, and the mean to sample around, from the Fisher diagonal. */
export function fisherNoise(model: Model, fisher: ReadonlyMap<string, Float32Array>, alpha: number, forgetClasses: readonly number[]): Map<string, { mu: Float32Array; variance: Float32Array }> {
  const head = new Set(classifierHead(model));
  const layouts = unitLayouts(model);
  const out = new Map<string, { mu: Float32Array; variance: Float32Array }>();
  for (const [name, f] of fisher) {
    const t = model.graph.initializers.get(name)!;
    const isHead = head.has(name);
    let variance: Float32Array = f.map((v) => alpha * Math.min(1 / (v + 1e-8), isHead ? 1e2 : 1e3));
    const layout = layouts.get(name);
    if (layout) variance = meanOverInputAxis(variance, layout);
    const mu = Float32Array.from(t.data as Float32Array);
    if (isHead && forgetClasses.length > 0) {
      const unitLayout: UnitLayout = layout ?? { dims: t.dims.length ? t.dims : [mu.length], axis: 0 };
      forEachUnit(unitLayout, (u, entries) => {
        if (!forgetClasses.includes(u)) return;
        for (const i of entries) {
          mu[i] = 0;
          variance[i] = 1e-4;
        }
      });
    }
    if (isHead || t.dims.length <= 1) for (let i = 0; i < variance.length; i++) variance[i] *= 10;
    out.set(name, { mu, variance });
  }
  return out;
}

export const fisher = defineMethod({
  name: 'fisher',
  title: 'Fisher forgetting',
  citation: 'Golatkar, Achille, Soatto, "Eternal Sunshine of the Spotless Net: Selective Forgetting in Deep Networks", CVPR 2020',
  summary: 'Estimates how strongly the retain set constrains each parameter (the Fisher information diagonal) and adds Gaussian noise with the inverse of that strength, scrambling what only the forget set determined.',
  needs: ['retain'],
  params: {
    alpha: z.number().min(0).max(1e3).default(3e-6).describe('Noise scale α multiplying the inverse Fisher (reference function default 3e-6; SCRUB notebooks 1e-7).'),
    batchSize: z.number().int().min(1).max(65536).default(32).describe('Batch size of the Fisher pass (SalUn fisher: 32; 1 gives the per-example expected Fisher of the original paper).'),
  },
  // One gradient per retain example and class.
  cost: (_p, n) => n.classes * n.retain,
  async run(ctx, p) {
    const k = numClasses(ctx);
    const probe = new GradientProbe(ctx.model, { loss: [{ kind: 'ce' }], threads: ctx.threads });
    let batches = 0;
    const sum = zerosLike(probe, ctx.model);
    try {
      for (let y = 0; y < k; y++) {
        // Every label set to y; the squared batch gradient weighted by the batch-mean p(y | x).
        batches = await forEachBatchGradient(probe, {
          ds: ctx.train, indices: ctx.retain, batchSize: p.batchSize, signal: ctx.signal,
          extras: (batch) => ({ labels: new Int32Array(batch.length).fill(y) }),
          visit: (g, batch, logits) => {
            const w = meanProbability(logits, k, y, batch.length);
            for (const [name, acc] of sum) {
              const gi = g.get(name)!;
              for (let i = 0; i < acc.length; i++) acc[i] += w * gi[i] * gi[i];
            }
          },
        });
        ctx.progress((0.9 * (y + 1)) / k, `Fisher diagonal, class ${y + 1}/${k}`);
      }
    } finally {
      probe.release();
    }
    for (const s of sum.values()) for (let i = 0; i < s.length; i++) s[i] /= batches;
    const classes = forgottenClasses(ctx.train, ctx.forget);
    const noise = fisherNoise(ctx.model, sum, p.alpha, classes);
    const values = new Map<string, Float32Array>();
    for (const [name, { mu, variance }] of noise) {
      values.set(name, mu.map((m, i) => m + Math.sqrt(variance[i]) * ctx.rng.normal()));
    }
    return {
      model: withParameters(ctx.model, values),
      exampleGradients: probe.exampleGradients,
      notes: classes.length ? [`class forgetting: head rows of class ${classes.join(', ')} set to mean 0`] : [],
    };
  },
});

/** mean over the batch of softmax(logits)[y]. */
function meanProbability(logits: Float32Array, k: number, y: number, n: number): number {
  let total = 0;
  for (let r = 0; r < n; r++) {
    let max = -Infinity;
    for (let c = 0; c < k; c++) max = Math.max(max, logits[r * k + c]);
    let z = 0;
    for (let c = 0; c < k; c++) z += Math.exp(logits[r * k + c] - max);
    total += Math.exp(logits[r * k + y] - max) / z;
  }
  return total / n;
}
