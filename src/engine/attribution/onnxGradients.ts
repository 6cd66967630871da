/**
 * A GradientSource for an ONNX model on onnxruntime: per-example gradients of an output function
 * (the margin, or one class logit) with respect to chosen parameters.
 *
 * runtime/perExample.ts gives gradients of the cross-entropy only, and ∇margin = −∇CE/(1 − p_y) is useless
 * exactly where attribution matters (memorised examples, where 1 − p_y underflows in float32). Every output
 * function here is linear in the logits' Jacobian, ∇f = Jᵀv for a logit-space vector v, so we get Jᵀv from the
 * shared training-step graph with an MSE head: with targets t = z − (K/2)·v and weight B per example, the
 * gradient of the batch loss Σ_i B·mean_k(z_ik − t_ik)²/B with respect to z_i is exactly v_i.
 *
 * Dense (Gemm) parameters are vectorised as in perExample.ts: one batched step returns each example's layer
 * input a_i and output gradient g_i, and the weight gradient is g_i ⊗ a_i. Other parameters fall back to
 * batch-size-1 steps.
 */
import { numel, type Model } from '../graph/ir';
import { denseSlots, fillDense, type DenseSlot } from '../runtime/denseSlots';
import { Predictor } from '../runtime/predict';
import { TrainStep } from '../runtime/trainStep';
import { trainableParameters } from '../train/params';
import { LetheError } from '../util/errors';
import { marginLogitWeights, type GradientBlock, type GradientSource, type OutputFunction } from './gradientSource';

export interface OnnxGradientOptions {
  /** Parameters to differentiate (default: every trainable parameter), concatenated in this order. */
  params?: string[];
  /** Examples per batched step and per yielded block (default 64: 64 × 203k floats = 52 MB for the fixture MLP). */
  chunk?: number;
  threads?: number;
  /** Use batch-size-1 steps even where the vectorised dense form applies (for cross-checks). */
  forceSingle?: boolean;
}

/** Examples as the model reads them: n × prod(exampleShape). */
export interface ExampleSet {
  x: Float32Array;
  y: Int32Array;
  n: number;
}


export class OnnxGradientSource implements GradientSource {
  readonly paramCount: number;
  readonly classes: number;
  readonly labels: Int32Array;
  readonly params: string[];
  private readonly sizes: number[];
  private readonly width: number;
  private readonly chunk: number;
  private readonly dense: DenseSlot[] | undefined;
  private predictor?: Predictor;
  private readonly steps = new Map<number, TrainStep>();

  constructor(
    private readonly model: Model,
    private readonly data: ExampleSet,
    private readonly opts: OnnxGradientOptions = {},
  ) {
    this.params = opts.params ?? trainableParameters(model);
    if (this.params.length === 0) throw new LetheError('no parameters to differentiate', model.file, 'attribution');
    this.sizes = this.params.map((p) => {
      const t = model.graph.initializers.get(p);
      if (!t) throw new LetheError(`"${p}" is not an initializer of the model`, model.file, 'attribution');
      return numel(t.dims);
    });
    this.paramCount = this.sizes.reduce((a, b) => a + b, 0);
    if (data.n < 1 || data.x.length % data.n !== 0) throw new LetheError(`${data.x.length} input values are not ${data.n} whole examples`, model.file, 'attribution');
    this.width = data.x.length / data.n;
    this.labels = data.y;
    this.chunk = opts.chunk ?? 64;
    this.dense = opts.forceSingle ? undefined : denseSlots(model, this.params, this.sizes);
    const out = model.graph.outputs[0]?.shape;
    const k = out?.[out.length - 1];
    if (typeof k !== 'number') throw new LetheError('the model output must have a static class dimension', model.file, 'attribution');
    this.classes = k;
  }

  async logits(indices: Int32Array): Promise<Float32Array> {
    this.predictor ??= await Predictor.create(this.model, { threads: this.opts.threads, batchSize: 256 });
    return this.predictor.logits(this.gather(indices, 0, indices.length), indices.length);
  }

  async *gradients(indices: Int32Array, output: OutputFunction): AsyncIterable<GradientBlock> {
    const K = this.classes;
    if (output.kind === 'logit' && !(Number.isInteger(output.cls) && output.cls >= 0 && output.cls < K)) {
      throw new LetheError(`class ${output.cls} is outside 0..${K - 1}`, this.model.file, 'attribution');
    }
    for (const i of indices) if (!(i >= 0 && i < this.data.n)) throw new LetheError(`example ${i} is outside 0..${this.data.n - 1}`, this.model.file, 'attribution');
    const v = new Float32Array(K);
    for (let start = 0; start < indices.length; start += this.chunk) {
      const count = Math.min(this.chunk, indices.length - start);
      const idx = indices.subarray(start, start + count);
      const x = this.gather(indices, start, count);
      const z = await this.logits(idx);
      // Targets that make ∂loss/∂z_i = v_i (see the file comment).
      const targets = new Float32Array(count * K);
      for (let r = 0; r < count; r++) {
        if (output.kind === 'margin') marginLogitWeights(z, r * K, K, this.data.y[idx[r]], v);
        else {
          v.fill(0);
          v[output.cls] = 1;
        }
        for (let c = 0; c < K; c++) targets[r * K + c] = z[r * K + c] - (K / 2) * v[c];
      }
      const grads = this.dense ? await this.denseBlock(x, targets, count) : await this.singleBlock(x, targets, count);
      yield { start, count, grads };
    }
  }

  release(): void {
    this.predictor?.release();
    this.predictor = undefined;
    for (const s of this.steps.values()) s.release();
    this.steps.clear();
  }

  private gather(indices: Int32Array, start: number, count: number): Float32Array {
    const w = this.width;
    const out = new Float32Array(count * w);
    for (let r = 0; r < count; r++) out.set(this.data.x.subarray(indices[start + r] * w, (indices[start + r] + 1) * w), r * w);
    return out;
  }

  private async step(batchSize: number): Promise<TrainStep> {
    let s = this.steps.get(batchSize);
    if (!s) {
      const nodes = this.dense ? [...new Set(this.dense.map((d) => d.node))] : [];
      s = await TrainStep.create({
        model: this.model,
        batchSize,
        loss: { terms: [{ kind: 'mse' }] },
        params: this.params,
        trainMode: false,
        threads: this.opts.threads,
        ...(this.dense ? { probes: { values: nodes.map((n) => n.inputs[0]), gradients: nodes.map((n) => n.outputs[0]) } } : {}),
      });
      this.steps.set(batchSize, s);
    }
    return s;
  }

  private values(): Map<string, Float32Array> {
    return new Map(this.params.map((p) => [p, this.model.graph.initializers.get(p)!.data as Float32Array]));
  }

  private async denseBlock(x: Float32Array, targets: Float32Array, count: number): Promise<Float32Array> {
    const step = await this.step(count);
    const r = await step.run(this.values(), { x, targets: [targets], weights: [new Float32Array(count).fill(count)] });
    const P = this.paramCount;
    const out = new Float32Array(count * P);
    for (const s of this.dense!) fillDense(out, P, s, r.probes!.values.get(s.node.inputs[0])!, r.probes!.gradients.get(s.node.outputs[0])!, count);
    return out;
  }

  private async singleBlock(x: Float32Array, targets: Float32Array, count: number): Promise<Float32Array> {
    const step = await this.step(1);
    const K = this.classes;
    const P = this.paramCount;
    const out = new Float32Array(count * P);
    const values = this.values();
    for (let r = 0; r < count; r++) {
      const res = await step.run(values, { x: x.subarray(r * this.width, (r + 1) * this.width), targets: [targets.subarray(r * K, (r + 1) * K)] });
      let offset = r * P;
      for (const p of this.params) {
        const g = res.grads.get(p)!;
        out.set(g, offset);
        offset += g.length;
      }
    }
    return out;
  }
}


