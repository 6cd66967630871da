/**
 * UNSIR — error-maximising noise, impair, repair (Tarun, Chundawat, Mandal, Kankanhalli, "Fast Yet Effective
 * Machine Unlearning", IEEE TNNLS 2023, arXiv 2111.08947; vikram2000b/Fast-Machine-Unlearning; docs/methods.md §2.6).
 *
 * Class version (the original):
 *   1. for each forgotten class c, learn a noise batch N (randn init) that maximises CE(f(N), c) with an L2
 *      penalty: minimise −CE + 0.1·mean_i Σ N_i² (Adam lr 0.1, 5 epochs × 8 steps);
 *   2. impair: one epoch (Adam lr 0.02) of CE on {N labelled c, repeated 20 times} ∪ a retain subset
 *      (at most 1,000 examples per kept class);
 *   3. repair: one epoch (Adam lr 0.01) of CE on the retain subset.
 * Instance-wise version (as LoTUS adapted it from the MUFAC notebooks): for each forget batch, learn noise that
 * maximises MSE(f(N), f(x_forget)); take a step on CE(f(clamp(N)), y_retain) + CE(f(x_retain), y_retain) for a
 * paired retain batch; then repair on the retain subset. SGD lr 1e-3, momentum 0.9. LoTUS's code loops over
 * the noise optimisation 5 times but steps once; here the noise really takes `noiseSteps` steps.
 *
 * The noise is learnt with the shared trainer: the model is wrapped so that its input is x + N with N a
 * trainable initializer, and only N is optimised (fed x = 0). The penalty's gradient 0.2·N/B is Adam's
 * coupled L2 term with λ = 0.2/B. Clamping uses the training data's value range ([0, 1] for pixels / 255).
 */
import { z } from 'zod';
import { featureCount, gatherBatch } from '../data/splits';
import type { Dataset } from '../data/types';
import { DataType, type Model } from '../graph/ir';
import { epochBatches, type TrainerOptions } from '../train/trainer';
import { LetheError } from '../util/errors';
import type { Rng } from '../util/rng';
import { forgottenClasses } from './common/data';
import { constantWeights, groupMeanWeights, trainPass } from './common/loop';
import type { Params } from './common/params';
import { logitsOf } from './common/predict';
import { withTrainer } from './common/trainer';
import { defineMethod } from './define';
import type { MethodContext, MethodResult } from './types';

const params = {
  mode: z.enum(['auto', 'class', 'instance']).default('auto').describe('"class": the original class-wise UNSIR. "instance": the instance-wise variant LoTUS used. "auto": class when the forget set holds whole classes.'),
  noiseBatch: z.number().int().min(1).max(4096).default(256).describe('Noise examples learnt per forgotten class (class mode; original: 256).'),
  noiseLr: z.number().min(0).max(10).default(0.1).describe('Adam learning rate of the noise (original: 0.1).'),
  noiseSteps: z.number().int().min(1).max(10000).default(40).describe('Noise optimisation steps (class mode original: 5 epochs × 8 steps = 40; instance mode uses min(this, 5) per batch).'),
  noiseRepeats: z.number().int().min(1).max(1000).default(20).describe('Copies of the noise batch in the impair set (original: 20).'),
  retainPerClass: z.number().int().min(1).max(1e6).default(1000).describe('Retain examples per kept class used for impair and repair (original: 1,000; LoTUS: 100 for CIFAR-100).'),
  impairLr: z.number().min(0).max(10).default(0.02).describe('Impair learning rate (class mode, Adam: 0.02; instance mode, SGD: LoTUS 1e-3).'),
  repairLr: z.number().min(0).max(10).default(0.01).describe('Repair learning rate (class mode, Adam: 0.01; instance mode, SGD: LoTUS 1e-3).'),
  batchSize: z.number().int().min(1).max(65536).default(256).describe('Batch size of impair and repair (original: 256).'),
  penalty: z.number().min(0).max(100).default(0.1).describe('Weight of the noise L2 penalty mean_i Σ N_i² (original: 0.1).'),
};
type UnsirParams = Params<typeof params>;

const NOISE = 'lethe/unsir_noise';
const ZERO = 'lethe/unsir_input';

/** `model` with its input replaced by x + N, N a [batch, …example] initializer (the only thing trained). */
export function withInputNoise(model: Model, batch: number, init: Float32Array): Model {
  const input = model.graph.inputs[0];
  const example = (input.shape ?? []).slice(1);
  if (example.some((d) => typeof d !== 'number')) throw new LetheError(`input "${input.name}" needs a static example shape for UNSIR noise`, model.file);
  const dims = [batch, ...(example as number[])];
  const initializers = new Map(model.graph.initializers);
  initializers.set(NOISE, { name: NOISE, dataType: DataType.FLOAT, dims, data: init });
  return {
    ...model,
    graph: {
      ...model.graph,
      inputs: [{ ...input, name: ZERO }],
      nodes: [{ name: 'lethe/unsir_add', opType: 'Add', domain: '', inputs: [ZERO, NOISE], outputs: [input.name], attrs: {} }, ...model.graph.nodes],
      initializers,
    },
  };
}

interface NoiseGoal {
  /** 'ce': maximise CE(f(N), labels); 'mse': maximise MSE(f(N), targets). */
  kind: 'ce' | 'mse';
  labels?: Int32Array;
  targets?: Float32Array;
}

/** Learns error-maximising noise for `model` (Adam, −loss + penalty·mean_i Σ N_i²). */
export async function learnNoise(model: Model, batch: number, goal: NoiseGoal, o: { steps: number; lr: number; penalty: number; rng: Rng; threads: number }): Promise<Float32Array> {
  const d = featureCountOfModel(model);
  const init = Float32Array.from({ length: batch * d }, () => o.rng.normal());
  const options = {
    loss: [{ kind: goal.kind }],
    optimizer: { kind: 'adam', weightDecay: (2 * o.penalty) / batch }, // ∂/∂N of penalty·mean_i Σ N_i²
    params: [NOISE],
    trainMode: false,
    threads: o.threads,
  } satisfies TrainerOptions;
  return withTrainer(withInputNoise(model, batch, init), options, async (trainer) => {
    const x = new Float32Array(batch * d);
    for (let s = 0; s < o.steps; s++) {
      await trainer.step({ batchSize: batch, x, labels: goal.labels, targets: goal.targets ? [goal.targets] : undefined, weights: [constantWeights(batch, -1)] }, o.lr);
    }
    return trainer.params.get(NOISE)!.slice();
  });
}

function featureCountOfModel(model: Model): number {
  return (model.graph.inputs[0].shape ?? []).slice(1).reduce<number>((a, b) => a * (b as number), 1);
}

/** At most `perClass` retain examples of each class, in retain order (the original's retain_samples). */
export function retainPerClass(ds: Dataset, retain: Int32Array, perClass: number): Int32Array {
  const count = new Int32Array(ds.classNames.length);
  return retain.filter((i) => count[ds.y[i]]++ < perClass);
}

/** A dataset of raw rows (noise) followed by copies of ds[indices]. */
function appendRows(ds: Dataset, rows: Float32Array, labels: Int32Array, indices: Int32Array): Dataset {
  const d = featureCount(ds);
  const n = labels.length + indices.length;
  const x = new Float32Array(n * d);
  const y = new Int32Array(n);
  x.set(rows);
  y.set(labels);
  gatherBatch(ds, indices, 0, indices.length, x.subarray(labels.length * d), y.subarray(labels.length));
  return { ...ds, x, y, n, ids: Array.from({ length: n }, (_, i) => (i < labels.length ? `noise:${i}` : ds.ids[indices[i - labels.length]])) };
}

export const unsir = defineMethod({
  name: 'unsir',
  title: 'UNSIR (error-maximising noise)',
  citation: 'Tarun, Chundawat, Mandal, Kankanhalli, "Fast Yet Effective Machine Unlearning", IEEE TNNLS 2023 (arXiv 2111.08947)',
  summary: 'Learns noise that maximises the model\'s error on what should be forgotten, trains briefly on that noise together with retain data to impair the forgotten knowledge, then repairs on retain data alone.',
  needs: ['forget', 'retain'],
  params,
  async run(ctx, p) {
    const classes = forgottenClasses(ctx.train, ctx.forget);
    const classMode = p.mode === 'class' || (p.mode === 'auto' && classes.length > 0);
    if (classMode && classes.length === 0) throw new LetheError('mode "class" needs a forget set that holds every example of at least one class', undefined, 'method "unsir"');
    // At least one example: the retain set is not empty and every class keeps up to retainPerClass ≥ 1.
    const subset = retainPerClass(ctx.train, ctx.retain, p.retainPerClass);
    return classMode ? classUnsir(ctx, p, classes, subset) : instanceUnsir(ctx, p, subset);
  },
});

async function classUnsir(ctx: MethodContext, p: UnsirParams, classes: number[], subset: Int32Array): Promise<MethodResult> {
  const d = featureCount(ctx.train);
  let noiseGradients = 0;
  const noise = new Float32Array(classes.length * p.noiseRepeats * p.noiseBatch * d);
  const noiseLabels = new Int32Array(classes.length * p.noiseRepeats * p.noiseBatch);
  let at = 0;
  for (const c of classes) {
    const n = await learnNoise(ctx.model, p.noiseBatch, { kind: 'ce', labels: new Int32Array(p.noiseBatch).fill(c) }, { steps: p.noiseSteps, lr: p.noiseLr, penalty: p.penalty, rng: ctx.rng, threads: ctx.threads });
    noiseGradients += p.noiseSteps * p.noiseBatch;
    for (let r = 0; r < p.noiseRepeats; r++) {
      noise.set(n, at * d);
      noiseLabels.fill(c, at, at + p.noiseBatch);
      at += p.noiseBatch;
    }
  }
  ctx.progress(0.3, 'noise learnt; impairing');
  const impairSet = appendRows(ctx.train, noise, noiseLabels, subset);
  return withTrainer(ctx.model, { loss: [{ kind: 'ce' }], optimizer: { kind: 'adam', weightDecay: 0 }, threads: ctx.threads }, async (trainer) => {
    await trainPass({ trainer, ds: impairSet, indices: Int32Array.from({ length: impairSet.n }, (_, i) => i), batchSize: p.batchSize, rng: ctx.rng, lr: () => p.impairLr, signal: ctx.signal });
    ctx.progress(0.7, 'repairing');
    await trainPass({ trainer, ds: ctx.train, indices: subset, batchSize: p.batchSize, rng: ctx.rng, lr: () => p.repairLr, signal: ctx.signal });
    return {
      model: trainer.toModel(),
      exampleGradients: noiseGradients + trainer.exampleGradients,
      notes: [`class mode: ${p.noiseBatch} noise examples per forgotten class (${classes.join(', ')}), ×${p.noiseRepeats}; ${subset.length} retain examples for impair and repair`],
    };
  });
}

async function instanceUnsir(ctx: MethodContext, p: UnsirParams, subset: Int32Array): Promise<MethodResult> {
  const d = featureCount(ctx.train);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of ctx.train.x) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  let noiseGradients = 0;
  return withTrainer(ctx.model, { loss: [{ kind: 'ce' }], optimizer: { kind: 'sgd', momentum: 0.9 }, threads: ctx.threads }, async (trainer) => {
    const fx = new Float32Array(p.batchSize * d);
    const fy = new Int32Array(p.batchSize);
    const retainIt = cycle(ctx.retain, ctx.rng);
    let batches = 0;
    for (const fb of epochBatches(ctx.forget, p.batchSize, ctx.rng)) {
      const n = gatherBatch(ctx.train, fb, 0, fb.length, fx, fy);
      const current = trainer.toModel();
      const targets = await logitsOf(current, fx.subarray(0, n * d), n, ctx.threads);
      const noise = await learnNoise(current, n, { kind: 'mse', targets }, { steps: Math.min(p.noiseSteps, 5), lr: p.noiseLr, penalty: 0, rng: ctx.rng, threads: ctx.threads });
      noiseGradients += Math.min(p.noiseSteps, 5) * n;
      for (let i = 0; i < noise.length; i++) noise[i] = Math.min(hi, Math.max(lo, noise[i]));
      // Noise rows labelled with a retain batch's labels, then that retain batch: CE(noise) + CE(retain).
      const rb = retainIt.next(n);
      const set = appendRows(ctx.train, noise, Int32Array.from(rb, (i) => ctx.train.y[i]), rb);
      const group = new Uint8Array(2 * n).fill(1, n);
      await trainPass({
        trainer, ds: set, batches: [Int32Array.from({ length: set.n }, (_, i) => i)], batchSize: set.n, rng: ctx.rng, lr: () => p.impairLr, signal: ctx.signal,
        extras: (_b, y) => ({ labels: y, weights: [groupMeanWeights(group, [1, 1])] }),
      });
      ctx.progress(0.7 * (++batches / Math.ceil(ctx.forget.length / p.batchSize)), `impair ${batches}`);
    }
    await trainPass({ trainer, ds: ctx.train, indices: subset, batchSize: p.batchSize, rng: ctx.rng, lr: () => p.repairLr, signal: ctx.signal });
    return {
      model: trainer.toModel(),
      exampleGradients: noiseGradients + trainer.exampleGradients,
      notes: [`instance mode: ${ctx.forget.length} forget examples impaired against noise; repaired on ${subset.length} retain examples`],
    };
  });
}

/** Endless batches of `indices`, reshuffled whenever they run out. */
function cycle(indices: Int32Array, rng: Rng): { next(n: number): Int32Array } {
  let order = rng.permutation(indices.length);
  let at = 0;
  return {
    next(n: number): Int32Array {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        if (at === order.length) {
          order = rng.permutation(indices.length);
          at = 0;
        }
        out[i] = indices[order[at++]];
      }
      return out;
    },
  };
}
