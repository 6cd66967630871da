/**
 * One training step on onnxruntime: loss, logits and parameter gradients of a batch from the
 * training-step graph (autodiff/trainingGraph.ts). Parameters are fed each step, so the optimiser
 * updates them between steps, outside the graph.
 */
import * as ort from 'onnxruntime-node';
import { numel, type Model } from '../graph/ir';
import type { LossTerm } from '../autodiff/losses';
import { buildTrainingGraph, type TrainingGraph } from '../autodiff/trainingGraph';
import { LetheError } from '../util/errors';
import { Rng } from '../util/rng';
import { createSession, Feeds } from './session';

export type { LossTerm } from '../autodiff/losses';

export interface TrainStepOptions {
  model: Model;
  batchSize: number;
  loss: { terms: LossTerm[] };
  /** Initializers to differentiate, in the order gradients are wanted. */
  params: string[];
  trainMode: boolean;
  threads?: number;
  /** Intermediate values to return, and values whose loss gradient to return (see TrainingGraphOptions). */
  probes?: { values?: string[]; gradients?: string[] };
}

export interface StepInputs {
  /** batchSize × example size, in the model's input layout. */
  x: Float32Array;
  /** Class labels, needed when a term is 'ce'. */
  labels?: Int32Array;
  /** Per term (same index as the terms), [B × K] targets for 'soft-ce', 'kl' (teacher logits) and 'mse'. */
  targets?: (Float32Array | undefined)[];
  /** Per term, per-example weights [B] (default 1; negative = ascent). */
  weights?: (Float32Array | undefined)[];
  /** Seed of the dropout masks (training mode). */
  dropoutSeed?: number;
}

export interface StepResult {
  loss: number;
  logits: Float32Array;
  grads: Map<string, Float32Array>;
  /** Updated BatchNormalization running statistics (training mode), keyed by initializer name. */
  runningStats?: Map<string, Float32Array>;
  /** Probed values and probed gradients, keyed by value name (when probes were requested). */
  probes?: { values: Map<string, Float32Array>; gradients: Map<string, Float32Array> };
}

export class TrainStep {
  private readonly feeds = new Feeds();
  private readonly outputs = new Map<string, ort.Tensor>();
  private released = false;

  private constructor(
    readonly graph: TrainingGraph,
    private readonly session: ort.InferenceSession,
    private readonly opts: TrainStepOptions,
  ) {}

  static async create(opts: TrainStepOptions): Promise<TrainStep> {
    const graph = buildTrainingGraph(opts.model, opts);
    return new TrainStep(graph, await createSession(graph.model, { threads: opts.threads }), opts);
  }

  /**
   * Runs one step. `params` holds the current value of every differentiated parameter and, in training
   * mode, of the running statistics (those absent are taken from the model). Gradients of the parameters
   * in `gradInto` are written into those arrays (and returned as them) instead of new ones.
   */
  async run(params: ReadonlyMap<string, Float32Array>, inputs: StepInputs, gradInto?: ReadonlyMap<string, Float32Array>): Promise<StepResult> {
    const g = this.graph;
    const batch = this.opts.batchSize;
    const perExample = numel(g.input.shape) / batch;
    if (inputs.x.length !== batch * perExample) {
      throw new LetheError(`the batch holds ${inputs.x.length / perExample} examples; this step was built for ${batch}`, this.opts.model.file);
    }
    this.feeds.buffer(g.input.name, g.input.shape).set(inputs.x);
    this.feedParameters(params);
    this.feedLoss(inputs);
    if (g.masks.length > 0) {
      const rng = new Rng(inputs.dropoutSeed ?? 0);
      for (const m of g.masks) fillDropoutMask(this.feeds.buffer(m.name, m.shape), m.ratio, rng);
    }
    if (!gradInto) return this.collect(await this.session.run(this.feeds.tensors));
    const fetches: Record<string, ort.Tensor | null> = Object.fromEntries(this.session.outputNames.map((name) => [name, null]));
    for (const p of g.params) {
      const into = gradInto.get(p.name);
      if (into) fetches[p.grad] = this.fetchInto(p.grad, into, p.shape);
    }
    const result = this.collect(await this.session.run(this.feeds.tensors, fetches));
    for (const [name, into] of gradInto) if (result.grads.has(name)) result.grads.set(name, into);
    return result;
  }

  /** One reused output tensor per gradient buffer. */
  private fetchInto(output: string, into: Float32Array, shape: number[]): ort.Tensor {
    const t = this.outputs.get(output);
    if (t && t.data === into) return t;
    const fresh = new ort.Tensor('float32', into, shape);
    this.outputs.set(output, fresh);
    return fresh;
  }

  private feedParameters(params: ReadonlyMap<string, Float32Array>): void {
    for (const p of this.graph.params) {
      const value = params.get(p.name);
      if (!value || value.length !== numel(p.shape)) {
        throw new LetheError(`parameter "${p.name}" needs ${numel(p.shape)} values, got ${value?.length ?? 'none'}`, this.opts.model.file);
      }
      this.feeds.wrap(p.name, value, p.shape);
    }
    for (const s of this.graph.state) {
      const value = params.get(s.name) ?? (this.opts.model.graph.initializers.get(s.name)!.data as Float32Array);
      this.feeds.wrap(s.name, value, s.shape);
    }
  }

  private feedLoss(inputs: StepInputs): void {
    const { lossInputs, logits } = this.graph;
    const batch = this.opts.batchSize;
    const k = logits.classes;
    const file = this.opts.model.file;
    this.opts.loss.terms.forEach((term, i) => {
      const input = lossInputs.terms[i];
      const w = inputs.weights?.[i];
      if (w && w.length !== batch) throw new LetheError(`loss term ${i} (${term.kind}): ${w.length} weights for a batch of ${batch}`);
      const t = term.kind === 'ce' ? undefined : inputs.targets?.[i];
      if (term.kind !== 'ce' && (!t || t.length !== batch * k)) {
        throw new LetheError(`loss term ${i} (${term.kind}) needs targets of ${batch}×${k} values, got ${t?.length ?? 'none'}`);
      }
      if ('coefficients' in input) {
        const c = this.feeds.buffer(input.coefficients, [batch, k]);
        if (t) crossEntropyCoefficients(c, t, w, batch, k);
        else labelCoefficients(c, inputs.labels, w, batch, k, file);
        return;
      }
      const weights = this.feeds.buffer(input.weights, [batch]);
      if (w) weights.set(w);
      else weights.fill(1);
      this.feeds.wrap(input.targets, t!, [batch, k]);
    });
  }

  private collect(out: ort.InferenceSession.OnnxValueMapType): StepResult {
    const g = this.graph;
    const data = (name: string): Float32Array => out[name].data as Float32Array;
    const result: StepResult = { loss: data(g.loss)[0], logits: data(g.logits.name), grads: new Map(g.params.map((p) => [p.name, data(p.grad)])) };
    if (this.opts.probes) {
      const read = (m: Map<string, string>): Map<string, Float32Array> => new Map([...m].map(([v, o]) => [v, data(o)]));
      result.probes = { values: read(g.probes.values), gradients: read(g.probes.gradients) };
    }
    if (g.state.length > 0) result.runningStats = new Map(g.state.map((s) => [s.name, data(s.output)]));
    return result;
  }

  /** Frees the session; later calls do nothing. */
  release(): void {
    if (this.released) return;
    this.released = true;
    void this.session.release();
  }
}

/** Cross-entropy coefficients of hard labels: c[i, y_i] = −w_i / B, zero elsewhere. */
function labelCoefficients(c: Float32Array, labels: Int32Array | undefined, w: Float32Array | undefined, batch: number, classes: number, file?: string): void {
  if (!labels || labels.length !== batch) throw new LetheError(`cross-entropy needs ${batch} labels, got ${labels?.length ?? 'none'}`, file);
  c.fill(0);
  for (let i = 0; i < batch; i++) {
    const y = labels[i];
    if (!(y >= 0 && y < classes)) throw new LetheError(`label ${y} of batch example ${i} is outside 0..${classes - 1}`, file);
    c[i * classes + y] = -(w ? w[i] : 1) / batch;
  }
}

/** Cross-entropy coefficients of target distributions: c[i, k] = −w_i·t[i, k] / B. */
function crossEntropyCoefficients(c: Float32Array, t: Float32Array, w: Float32Array | undefined, batch: number, classes: number): void {
  for (let i = 0; i < batch; i++) {
    const scale = -(w ? w[i] : 1) / batch;
    for (let j = 0; j < classes; j++) c[i * classes + j] = scale * t[i * classes + j];
  }
}

/** Inverted dropout: keep with probability 1 − ratio, scaled by 1 / (1 − ratio). */
function fillDropoutMask(mask: Float32Array, ratio: number, rng: Rng): void {
  const keep = 1 / (1 - ratio);
  for (let i = 0; i < mask.length; i++) mask[i] = rng.uniform() < ratio ? 0 : keep;
}
