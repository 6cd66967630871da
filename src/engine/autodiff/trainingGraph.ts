/**
 * The training-step graph: the model's forward pass specialised to a batch size and lowered for the
 * chosen mode, a loss head on the logits, and the backward pass. Inputs: the batch, loss targets and
 * weights, the differentiated parameters (fed each step so the optimiser can update them between steps),
 * running statistics and dropout masks. Outputs: loss, logits, one gradient per parameter, updated
 * running statistics.
 */
import { DataType, type Model } from '../graph/ir';
import { LetheError } from '../util/errors';
import { appendBackward } from './backward';
import { GraphBuilder } from './builder';
import { appendLoss, type LossInputs, type LossTerm } from './losses';
import type { LowerCtx } from './opdef';
import { poolBeforeRelu } from './poolBeforeRelu';
import { opDefinition } from './registry';

export interface TrainingGraphOptions {
  batchSize: number;
  loss: { terms: LossTerm[] };
  /** Float initializers to differentiate; they become graph inputs. */
  params: string[];
  /** Batch statistics and running-stat updates for BatchNormalization, active Dropout. */
  trainMode: boolean;
  /** Intermediate values to also output, and to also output the loss gradient of (per-example gradients). */
  probes?: { values?: string[]; gradients?: string[] };
}

export interface TrainingGraph {
  model: Model;
  /** The batch input and its static shape. */
  input: { name: string; shape: number[] };
  logits: { name: string; classes: number };
  loss: string;
  lossInputs: LossInputs;
  /** Differentiated parameters in the given order, with their gradient outputs. */
  params: { name: string; shape: number[]; grad: string }[];
  /** Running statistics: fed as inputs, their updated values as outputs (training mode only). */
  state: { name: string; shape: number[]; output: string }[];
  /** Dropout masks to feed (training mode only). */
  masks: { name: string; shape: number[]; ratio: number }[];
  /** Output names of the probed values and of the probed gradients. */
  probes: { values: Map<string, string>; gradients: Map<string, string> };
}

/** Lowest default-domain opset whose op semantics the op definitions follow. */
const MIN_OPSET = 13;
/** Training graphs are emitted at this opset or the model's, whichever is newer (Reduce ops take axes as inputs). */
const GRAPH_OPSET = 18;

export function buildTrainingGraph(model: Model, opts: TrainingGraphOptions): TrainingGraph {
  const b = new GraphBuilder(model.file, DataType.FLOAT);
  const params = new Set(opts.params);
  const state: TrainingGraph['state'] = [];
  const masks: TrainingGraph['masks'] = [];
  const ctx: LowerCtx = {
    train: opts.trainMode,
    stateInput(name) {
      if (params.has(name)) throw new LetheError(`"${name}" is a running statistic and cannot be differentiated in training mode`, model.file);
      if (!b.initializers.has(name)) {
        const why = state.some((s) => s.name === name) ? 'is shared by two BatchNormalization nodes' : 'must be an initializer';
        throw new LetheError(`running statistic "${name}" ${why}`, model.file);
      }
      b.promoteToInput(name);
      return name;
    },
    stateOutput(name, value) {
      const output = `lethe/running/${name}`;
      b.emit('Identity', [value], [output]);
      state.push({ name, shape: b.shape(name), output });
    },
    maskInput(node, shape, ratio) {
      const name = b.addInput(`lethe/dropout_mask/${node.name}`, b.dtype, shape);
      masks.push({ name, shape, ratio });
      return name;
    },
  };
  const keep = [...(opts.probes?.values ?? []), ...(opts.probes?.gradients ?? [])];
  const nodes = poolBeforeRelu(model.graph.nodes, model.graph.outputs.map((o) => o.name), keep);
  const input = addForward(b, { ...model, graph: { ...model.graph, nodes } }, opts.batchSize, params, ctx);

  const logitsName = model.graph.outputs[0]?.name;
  const logitsShape = logitsName && b.has(logitsName) ? b.shape(logitsName) : [];
  if (logitsShape.length !== 2 || logitsShape[0] !== opts.batchSize) {
    throw new LetheError(`the first output "${logitsName}" must be logits [batch, classes], found [${logitsShape.join(', ')}]`, model.file);
  }
  if (opts.loss.terms.length === 0) throw new LetheError('the loss has no terms');
  const { loss, inputs: lossInputs } = appendLoss(b, logitsName, opts.loss.terms);
  const probedValues = opts.probes?.values ?? [];
  const probedGradients = opts.probes?.gradients ?? [];
  for (const v of [...probedValues, ...probedGradients]) {
    if (!b.has(v) || params.has(v)) throw new LetheError(`"${v}" is not an intermediate value of the model`, model.file);
  }
  const grads = appendBackward(b, b.nodes.slice(), loss, [...opts.params, ...probedGradients]);

  b.emit('Identity', [loss], ['loss']);
  b.markOutput('loss');
  b.markOutput(logitsName);
  const paramInfo = opts.params.map((name) => {
    const grad = `lethe/grad/${name}`;
    b.emit('Identity', [grads.get(name)!], [grad]);
    b.markOutput(grad);
    return { name, shape: b.shape(name), grad };
  });
  for (const s of state) b.markOutput(s.output);
  const output = (name: string, value: string): string => {
    b.emit('Identity', [value], [name]);
    b.markOutput(name);
    return name;
  };
  const probes = {
    values: new Map(probedValues.map((v) => [v, output(`lethe/probe/${v}`, v)])),
    gradients: new Map(probedGradients.map((v) => [v, output(`lethe/probe_grad/${v}`, grads.get(v)!)])),
  };

  return {
    model: emittedModel(model, b, 'lethe_training_step'),
    input,
    logits: { name: logitsName, classes: logitsShape[1] },
    loss: 'loss',
    lossInputs,
    params: paramInfo,
    state,
    masks,
    probes,
  };
}

/**
 * Adds the model's batch input (batch axis fixed), its initializers (parameters in `params` as inputs)
 * and its nodes, lowered for training when `ctx` is given. Checks every op, attribute and shape.
 */
export function addForward(b: GraphBuilder, model: Model, batchSize: number, params: ReadonlySet<string>, ctx?: LowerCtx): { name: string; shape: number[] } {
  const opset = model.opsets.find((o) => o.domain === '' || o.domain === 'ai.onnx')?.version;
  if (opset === undefined || opset < MIN_OPSET) {
    throw new LetheError(`ONNX opset ${opset ?? '(none)'} is not supported: need ${MIN_OPSET} or later (re-export the model)`, model.file);
  }
  const inputs = model.graph.inputs;
  if (inputs.length !== 1) throw new LetheError(`expected one data input, found ${inputs.length} (${inputs.map((i) => i.name).join(', ')})`, model.file);
  const [x] = inputs;
  if (!x.shape || x.shape.length === 0) throw new LetheError(`input "${x.name}" has no declared shape`, model.file);
  const shape = x.shape.map((d, i) => {
    if (i === 0) return batchSize;
    if (typeof d !== 'number') throw new LetheError(`input "${x.name}" has a dynamic dimension "${d}" at axis ${i}; only the batch axis may be dynamic`, model.file);
    return d;
  });
  b.addInput(x.name, x.elemType, shape);
  for (const t of model.graph.initializers.values()) b.addInitializer(t);
  for (const p of params) {
    const t = model.graph.initializers.get(p);
    if (!t || t.dataType !== DataType.FLOAT) throw new LetheError(`"${p}" is not a float initializer of the model, so it cannot be differentiated`, model.file);
    b.promoteToInput(p);
  }
  for (const node of model.graph.nodes) {
    const def = opDefinition(node, model.file);
    if (ctx && def.lower?.(node, b, ctx)) continue;
    b.addNode(node);
  }
  return { name: x.name, shape };
}

export function emittedModel(model: Model, b: GraphBuilder, name: string): Model {
  const opset = Math.max(GRAPH_OPSET, ...model.opsets.filter((o) => o.domain === '' || o.domain === 'ai.onnx').map((o) => o.version));
  // Lowerings can leave constants behind (a dropout ratio, opset-13 axes); keep only those in use.
  const used = new Set(b.nodes.flatMap((n) => n.inputs));
  const initializers = new Map([...b.initializers].filter(([k]) => used.has(k)));
  return {
    graph: { name, nodes: b.nodes, inputs: b.inputs, outputs: b.outputs, initializers },
    opsets: [{ domain: '', version: opset }],
    irVersion: Math.max(model.irVersion, 8),
    producerName: 'lethe',
    producerVersion: '0.1.0',
    metadata: {},
    file: model.file,
  };
}
