/**
 * Per-example gradients of the cross-entropy loss (evaluation mode) for a chosen set of parameters, for
 * attribution (TRAK), Fisher information and SSD importances. Dense (Gemm) layers are vectorised: one
 * batched step yields each example's layer input a_i and output gradient g_i, and the weight gradient
 * is the outer product g_i ⊗ a_i. Other parameters fall back to one batch-size-1 step per example.
 */
import { numel, type Model } from '../graph/ir';
import { denseSlots, fillDense, type DenseSlot } from './denseSlots';
import { LetheError } from '../util/errors';
import { TrainStep } from './trainStep';

export interface PerExampleOptions {
  threads?: number;
  /** Examples per yielded chunk (and per batched step in the vectorised form). Default 256. */
  chunk?: number;
  /** Current parameter values (default: the model's initializers). */
  values?: ReadonlyMap<string, Float32Array>;
  /** Use batch-size-1 steps even where the vectorised form applies (for cross-checks). */
  forceSingle?: boolean;
}

export interface ExampleGradients {
  start: number;
  count: number;
  /** count × P: each example's gradients, parameters concatenated in the requested order. */
  grads: Float32Array;
}

export async function* perExampleGradients(
  model: Model,
  x: Float32Array,
  labels: Int32Array,
  n: number,
  params: string[],
  opts: PerExampleOptions = {},
): AsyncGenerator<ExampleGradients> {
  if (labels.length < n) throw new LetheError(`${n} examples need ${n} labels, got ${labels.length}`, model.file);
  const sizes = params.map((p) => {
    const t = model.graph.initializers.get(p);
    if (!t) throw new LetheError(`"${p}" is not an initializer of the model`, model.file);
    return numel(t.dims);
  });
  const values = new Map(params.map((p) => [p, opts.values?.get(p) ?? (model.graph.initializers.get(p)!.data as Float32Array)]));
  const work: Work = { model, x, labels, n, width: x.length / n, total: sizes.reduce((p, s) => p + s, 0), values, chunk: opts.chunk ?? 256, threads: opts.threads };
  const dense = opts.forceSingle ? undefined : denseSlots(model, params, sizes);
  if (dense) yield* vectorised(work, dense);
  else yield* singleSteps(work, params);
}

/** What both forms share: the examples, the row width of their gradients (total) and the parameter values. */
interface Work {
  model: Model;
  x: Float32Array;
  labels: Int32Array;
  n: number;
  /** Values per example. */
  width: number;
  /** Gradient values per example, all parameters. */
  total: number;
  values: Map<string, Float32Array>;
  chunk: number;
  threads?: number;
}

async function* singleSteps({ model, x, labels, n, width, total, values, chunk, threads }: Work, params: string[]): AsyncGenerator<ExampleGradients> {
  const step = await TrainStep.create({ model, batchSize: 1, loss: { terms: [{ kind: 'ce' }] }, params, trainMode: false, threads });
  try {
    for (let start = 0; start < n; start += chunk) {
      const count = Math.min(chunk, n - start);
      const grads = new Float32Array(count * total);
      for (let i = 0; i < count; i++) {
        const e = start + i;
        const r = await step.run(values, { x: x.subarray(e * width, (e + 1) * width), labels: labels.subarray(e, e + 1) });
        let offset = i * total;
        for (const p of params) {
          const g = r.grads.get(p)!;
          grads.set(g, offset);
          offset += g.length;
        }
      }
      yield { start, count, grads };
    }
  } finally {
    step.release();
  }
}

async function* vectorised({ model, x, labels, n, width, total, values, chunk, threads }: Work, slots: DenseSlot[]): AsyncGenerator<ExampleGradients> {
  const nodes = [...new Set(slots.map((s) => s.node))];
  const probes = { values: nodes.map((nd) => nd.inputs[0]), gradients: nodes.map((nd) => nd.outputs[0]) };
  const params = slots.map((s) => s.param);
  const steps = new Map<number, TrainStep>();
  try {
    for (let start = 0; start < n; start += chunk) {
      const count = Math.min(chunk, n - start);
      let step = steps.get(count);
      if (!step) {
        step = await TrainStep.create({ model, batchSize: count, loss: { terms: [{ kind: 'ce' }] }, params, trainMode: false, threads, probes });
        steps.set(count, step);
      }
      // Weight `count` per example turns the batch mean into a sum, so each row holds that example's own gradient.
      const r = await step.run(values, {
        x: x.subarray(start * width, (start + count) * width),
        labels: labels.subarray(start, start + count),
        weights: [new Float32Array(count).fill(count)],
      });
      const grads = new Float32Array(count * total);
      for (const s of slots) fillDense(grads, total, s, r.probes!.values.get(s.node.inputs[0])!, r.probes!.gradients.get(s.node.outputs[0])!, count);
      yield { start, count, grads };
    }
  } finally {
    for (const s of steps.values()) s.release();
  }
}

