/**
 * SSD — Selective Synaptic Dampening (Foster, Schoepf, Brintrup, AAAI 2024; docs/methods.md §2.6). One shot:
 *   I_X[j] = mean over the minibatches of X of (∂CE_batch/∂θ_j)²   (squared minibatch gradients, §5.5)
 *   for every j with I_F[j] > α·I_D[j]:  θ_j ← β_j·θ_j,  β_j = min(λ·I_D[j]/I_F[j], 1)
 * with D = R ∪ F the whole training set. β ≤ 1 always, so parameters only shrink. The step is applied once
 * (LoTUS applied it once per "epoch", a bug, docs/methods.md §0; `repeats` reproduces that for comparison). Defaults: α = 10, λ = 1 (SSD paper, CIFAR).
 */
import { z } from 'zod';
import type { Model } from '../graph/ir';
import { withParameters } from '../train/params';
import { perExampleGradients } from '../runtime/perExample';
import { concat, gather } from './common/data';
import { accumulate, forEachBatchGradient, GradientProbe, zerosLike } from './common/gradients';
import { checkCancelled } from './common/loop';
import { defineMethod } from './define';
import type { MethodContext } from './types';

/**
 * SSD's dampening of one tensor in place; returns how many entries were selected.
 * Selected entries are multiplied by β = min(λ·I_D/I_F, 1) ∈ [0, 1].
 */
export function dampen(theta: Float32Array, iF: Float32Array, iD: Float32Array, alpha: number, lambda: number): number {
  let selected = 0;
  for (let j = 0; j < theta.length; j++) {
    if (iF[j] > alpha * iD[j]) {
      const beta = Math.min((lambda * iD[j]) / iF[j], 1);
      theta[j] = theta[j] * beta;
      selected++;
    }
  }
  return selected;
}

/** Mean over the minibatches of ds[indices] of the squared minibatch CE gradient. */
async function importances(probe: GradientProbe, ctx: MethodContext, model: Model, indices: Int32Array, batchSize: number, mode: string): Promise<Map<string, Float32Array>> {
  if (mode === 'per-example') return perExampleImportances(probe, ctx, model, indices);
  const sum = zerosLike(probe, model);
  const batches = await forEachBatchGradient(probe, { ds: ctx.train, indices, batchSize, signal: ctx.signal, visit: (g) => accumulate(sum, g, (v) => v * v) });
  for (const s of sum.values()) for (let i = 0; i < s.length; i++) s[i] /= batches;
  return sum;
}

export const ssd = defineMethod({
  name: 'ssd',
  title: 'SSD (selective synaptic dampening)',
  citation: 'Foster, Schoepf, Brintrup, "Fast Machine Unlearning Without Retraining Through Selective Synaptic Dampening", AAAI 2024',
  summary: 'Compares each parameter\'s importance (squared gradients) for the forget set with its importance for the whole training set, and in one step shrinks the parameters that matter disproportionately to the forget set.',
  needs: ['forget', 'retain'],
  params: {
    alpha: z.number().min(0).max(1e6).default(10).describe('Selection threshold α: dampen θ_j when I_F[j] > α·I_D[j] (SSD: 10; DEL tunes 1–16).'),
    lambda: z.number().min(0).max(1e6).default(1).describe('Dampening constant λ: β_j = min(λ·I_D[j]/I_F[j], 1) (SSD: 1).'),
    repeats: z.number().int().min(1).max(100).default(1).describe('How many times the step is applied. SSD is one-shot (1); the LoTUS repository applies it once per "epoch" (10 for ResNet-18), a bug: set 10 only to compare with LoTUS tables.'),
    importance: z.enum(['minibatch', 'per-example']).default('minibatch').describe('"minibatch": mean of squared minibatch gradients, as the SSD code (α = 10 was tuned for it; docs/methods.md §5.5). "per-example": mean of squared per-example gradients, the empirical Fisher diagonal, independent of the batch size.'),
    batchSize: z.number().int().min(1).max(65536).default(128).describe('Minibatch size of the importance passes; minibatch importances depend on it (docs/methods.md §5.5).'),
  },
  // Importances over F and over D = R ∪ F, per application.
  cost: (p, n) => p.repeats * (n.forget + n.train),
  async run(ctx, p) {
    let model = ctx.model;
    let exampleGradients = 0;
    const notes: string[] = [];
    for (let rep = 0; rep < p.repeats; rep++) {
      const step = await dampenOnce(ctx, model, p, (f, m) => ctx.progress((rep + f) / p.repeats, m));
      model = step.model;
      exampleGradients += step.exampleGradients;
      notes.push(`${p.repeats > 1 ? `step ${rep + 1}: ` : ''}dampened ${step.selected} of ${step.total} parameter entries (${((100 * step.selected) / step.total).toFixed(2)}%)`);
    }
    if (p.repeats > 1) notes.push(`applied ${p.repeats} times, reproducing the LoTUS repository (SSD is one-shot)`);
    return { model, exampleGradients, notes };
  },
});

/** The SSD importance of every trainable parameter entry on ctx.train[indices] (exported for tests and reports). */
export async function ssdImportances(ctx: MethodContext, model: Model, indices: Int32Array, o: { batchSize: number; importance: string }): Promise<Map<string, Float32Array>> {
  const probe = new GradientProbe(model, { loss: [{ kind: 'ce' }], threads: ctx.threads });
  try {
    return await importances(probe, ctx, model, indices, o.batchSize, o.importance);
  } finally {
    probe.release();
  }
}

/** Mean over the examples of ds[indices] of the squared per-example CE gradient (the empirical Fisher diagonal). */
async function perExampleImportances(probe: GradientProbe, ctx: MethodContext, model: Model, indices: Int32Array): Promise<Map<string, Float32Array>> {
  const sum = zerosLike(probe, model);
  const names = probe.names;
  const flat = names.map((name) => sum.get(name)!);
  const CHUNK = 512;
  for (let start = 0; start < indices.length; start += CHUNK) {
    checkCancelled(ctx.signal);
    const { x, y } = gather(ctx.train, indices.subarray(start, Math.min(start + CHUNK, indices.length)));
    for await (const part of perExampleGradients(model, x, y, y.length, names, { threads: ctx.threads, chunk: 32 })) {
      addSquares(part.grads, part.count, flat);
    }
  }
  probe.exampleGradients += indices.length;
  for (const s of sum.values()) for (let i = 0; i < s.length; i++) s[i] /= indices.length;
  return sum;
}

/** acc[p] += Σ_rows g[row, p]² over count rows of concatenated per-parameter gradients. */
function addSquares(grads: Float32Array, count: number, acc: Float32Array[]): void {
  const width = grads.length / count;
  for (let r = 0; r < count; r++) {
    let at = r * width;
    for (const a of acc) {
      for (let i = 0; i < a.length; i++) {
        const g = grads[at + i];
        a[i] += g * g;
      }
      at += a.length;
    }
  }
}

/** One SSD step on `model`: importances on F and on D, then dampening. */
async function dampenOnce(ctx: MethodContext, model: Model, p: { alpha: number; lambda: number; batchSize: number; importance: string }, progress: (f: number, m: string) => void) {
  const probe = new GradientProbe(model, { loss: [{ kind: 'ce' }], threads: ctx.threads });
  try {
    progress(0, 'importances on the forget set');
    const iF = await importances(probe, ctx, model, ctx.forget, p.batchSize, p.importance);
    progress(0.2, 'importances on the whole training set');
    const iD = await importances(probe, ctx, model, concat(ctx.retain, ctx.forget), p.batchSize, p.importance);
    const updated = new Map<string, Float32Array>();
    let selected = 0;
    let total = 0;
    for (const name of probe.names) {
      const theta = Float32Array.from(model.graph.initializers.get(name)!.data as Float32Array);
      selected += dampen(theta, iF.get(name)!, iD.get(name)!, p.alpha, p.lambda);
      total += theta.length;
      updated.set(name, theta);
    }
    progress(1, `dampened ${selected} of ${total} parameter entries`);
    return { model: withParameters(model, updated), exampleGradients: probe.exampleGradients, selected, total };
  } finally {
    probe.release();
  }
}
