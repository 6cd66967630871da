/**
 * Fresh random initialisation of a model's parameters, the way PyTorch initialises a new module:
 * retraining from scratch and DEL's "reset to a fresh init" both need weights an untrained model would have.
 *
 * Defaults (torch.nn.Linear / Conv2d `reset_parameters`, BatchNorm `reset_parameters`):
 * - Conv, Gemm and MatMul weights: kaiming_uniform(a = √5), i.e. U(−b, b) with b = gain·√(3 / fan_in),
 *   gain = √(2 / (1 + a²)) = √(1/3), so b = 1/√fan_in;
 * - their biases (Conv input 2, Gemm input C, or the Add that follows a MatMul): U(±1/√fan_in);
 * - BatchNormalization: scale 1, bias 0, running mean 0, running variance 1.
 * fan_in/fan_out follow the layout: Conv W [out, in/groups, k…] → fan_in = in/groups·∏k, fan_out = out·∏k;
 * Gemm B [K, N] (transB = 0) or [N, K] (transB = 1) → fan_in = K, fan_out = N; MatMul B [K, N] likewise.
 * Only initializers that are these parameters are touched; shapes and other constants keep their values.
 */
import { Attrs } from '../graph/attrs';
import type { Graph, Model, Node, Tensor } from '../graph/ir';
import { DataType, numel } from '../graph/ir';
import { LetheError } from '../util/errors';
import type { Rng } from '../util/rng';
import { withParameters } from './params';

/**
 * kaiming-uniform: PyTorch's default (a = √5). kaiming-normal: N(0, 2/fan_in) (torch kaiming_normal_ defaults,
 * the ReLU gain). xavier-uniform: U(±√(6 / (fan_in + fan_out))).
 */
export type WeightInit = 'kaiming-uniform' | 'kaiming-normal' | 'xavier-uniform';

export interface InitOptions {
  weights?: WeightInit;
}

/** What an initializer is to the op that uses it, which decides how it is initialised. */
export type ParamRole =
  | { kind: 'weight'; fanIn: number; fanOut: number }
  | { kind: 'bias'; fanIn: number }
  | { kind: 'fill'; value: number };

/**
 * The trainable parameters (and BatchNormalization running statistics) of a graph, in node order, which is
 * also the order random values are drawn in. An initializer used twice keeps the role of its first use.
 */
export function parameterRoles(model: Model): Map<string, ParamRole> {
  const { graph } = model;
  const roles = new Map<string, ParamRole>();
  const add = (node: Node, input: number, role: ParamRole): void => {
    const name = node.inputs[input];
    if (!name || roles.has(name) || !graph.initializers.has(name)) return;
    requireFloat32(model, graph.initializers.get(name)!, node);
    roles.set(name, role);
  };
  const matMulFans = new Map<string, { fanIn: number; fanOut: number }>(); // MatMul output → fans of its weight
  for (const node of graph.nodes) {
    switch (node.opType) {
      case 'Conv': {
        const w = initializer(graph, node.inputs[1]);
        if (!w || w.dims.length < 3) break;
        const receptive = numel(w.dims.slice(2));
        const fans = { fanIn: w.dims[1] * receptive, fanOut: w.dims[0] * receptive };
        add(node, 1, { kind: 'weight', ...fans });
        add(node, 2, { kind: 'bias', fanIn: fans.fanIn });
        break;
      }
      case 'Gemm': {
        const w = initializer(graph, node.inputs[1]);
        if (!w || w.dims.length !== 2) break;
        const transB = new Attrs(node).int('transB', 0) !== 0;
        const fans = transB ? { fanIn: w.dims[1], fanOut: w.dims[0] } : { fanIn: w.dims[0], fanOut: w.dims[1] };
        add(node, 1, { kind: 'weight', ...fans });
        add(node, 2, { kind: 'bias', fanIn: fans.fanIn });
        break;
      }
      case 'MatMul': {
        const w = initializer(graph, node.inputs[1]);
        if (!w || w.dims.length !== 2) break;
        const fans = { fanIn: w.dims[0], fanOut: w.dims[1] };
        add(node, 1, { kind: 'weight', ...fans });
        matMulFans.set(node.outputs[0], fans);
        break;
      }
      case 'Add': {
        // PyTorch exports Linear on batched inputs as MatMul + Add(bias).
        const [a, b] = node.inputs;
        const fans = matMulFans.get(a) ?? matMulFans.get(b);
        const biasInput = matMulFans.has(a) ? 1 : 0;
        const bias = initializer(graph, node.inputs[biasInput]);
        if (fans && bias && numel(bias.dims) === fans.fanOut) add(node, biasInput, { kind: 'bias', fanIn: fans.fanIn });
        break;
      }
      case 'BatchNormalization':
        add(node, 1, { kind: 'fill', value: 1 });
        add(node, 2, { kind: 'fill', value: 0 });
        add(node, 3, { kind: 'fill', value: 0 });
        add(node, 4, { kind: 'fill', value: 1 });
        break;
    }
  }
  return roles;
}

/**
 * Fresh values for the named parameters, as a new model initialised with `rng` would have them.
 * Every parameter is drawn (in `parameterRoles` order), so the values of one name do not depend on which
 * other names are asked for. The model is not modified.
 */
export function freshInit(model: Model, rng: Rng, names: Iterable<string>, opts: InitOptions = {}): Map<string, Float32Array> {
  const roles = parameterRoles(model);
  const wanted = new Set(names);
  for (const name of wanted) {
    if (!roles.has(name)) {
      throw new LetheError(`"${name}" is not a parameter of a Conv, Gemm, MatMul or BatchNormalization node`, model.file, 'fresh initialisation');
    }
  }
  const out = new Map<string, Float32Array>();
  for (const [name, role] of roles) {
    const values = drawValues(role, numel(model.graph.initializers.get(name)!.dims), rng, opts.weights ?? 'kaiming-uniform');
    if (wanted.has(name)) out.set(name, values);
  }
  return out;
}

/** Re-initialises every parameter in place (same arrays, new values); returns the names touched. */
export function reinitialize(model: Model, rng: Rng, opts: InitOptions = {}): string[] {
  const names = [...parameterRoles(model).keys()];
  for (const [name, values] of freshInit(model, rng, names, opts)) {
    (model.graph.initializers.get(name)!.data as Float32Array).set(values);
  }
  return names;
}

function drawValues(role: ParamRole, n: number, rng: Rng, weights: WeightInit): Float32Array {
  const out = new Float32Array(n);
  switch (role.kind) {
    case 'fill':
      out.fill(role.value);
      return out;
    case 'bias':
      return fillUniform(out, role.fanIn > 0 ? 1 / Math.sqrt(role.fanIn) : 0, rng);
    case 'weight':
      if (weights === 'kaiming-normal') return fillNormal(out, Math.sqrt(2 / role.fanIn), rng);
      if (weights === 'xavier-uniform') return fillUniform(out, Math.sqrt(6 / (role.fanIn + role.fanOut)), rng);
      return fillUniform(out, 1 / Math.sqrt(role.fanIn), rng);
  }
}

function fillUniform(out: Float32Array, bound: number, rng: Rng): Float32Array {
  for (let i = 0; i < out.length; i++) out[i] = (2 * rng.uniform() - 1) * bound;
  return out;
}

function fillNormal(out: Float32Array, std: number, rng: Rng): Float32Array {
  for (let i = 0; i < out.length; i++) out[i] = rng.normal() * std;
  return out;
}

function initializer(graph: Graph, name: string | undefined): Tensor | undefined {
  return name ? graph.initializers.get(name) : undefined;
}

function requireFloat32(model: Model, t: Tensor, node: Node): void {
  if (t.dataType !== DataType.FLOAT || !(t.data instanceof Float32Array)) {
    throw new LetheError(
      `parameter "${t.name}" has data type ${t.dataType}; only float32 parameters can be initialised`,
      model.file,
      `${node.opType} node "${node.name}"`,
    );
  }
}

/** A new model with the same graph and freshly initialised parameters (and reset running statistics); `model` is untouched. */
export function freshModel(model: Model, rng: Rng, opts: InitOptions = {}): Model {
  return withParameters(model, freshInit(model, rng, parameterRoles(model).keys(), opts));
}
