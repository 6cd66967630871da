/**
 * Per-example gradients of dense layers without per-example backward passes: for a Gemm Y = α·A·W' + β·C,
 * example i's weight gradient is α·a_i ⊗ g_i and its bias gradient β·g_i, from one batched step that
 * returns the layer inputs a and the output gradients g. Shared by perExampleGradients and attribution.
 */
import { Attrs } from '../graph/attrs';
import type { Model, Node } from '../graph/ir';

/** How one requested parameter's per-example gradient is formed from a Gemm's input and output gradient. */
export interface DenseSlot {
  param: string;
  node: Node;
  kind: 'weight' | 'bias';
  offset: number;
  size: number;
}

/** Slots when every parameter is the weight or bias of a Gemm (transA = 0) used nowhere else; else undefined. */
export function denseSlots(model: Model, params: string[], sizes: number[]): DenseSlot[] | undefined {
  const slots: DenseSlot[] = [];
  let offset = 0;
  for (const [k, p] of params.entries()) {
    const users = model.graph.nodes.filter((nd) => nd.inputs.includes(p));
    const node = users[0];
    if (users.length !== 1 || node.opType !== 'Gemm' || new Attrs(node, model.file).int('transA', 0) !== 0) return undefined;
    const slot = node.inputs.indexOf(p);
    if (slot === 0 || node.inputs.lastIndexOf(p) !== slot) return undefined;
    if (slot === 2) {
      const w = model.graph.initializers.get(node.inputs[1]);
      const outputs = w && (new Attrs(node, model.file).int('transB', 0) ? w.dims[0] : w.dims[1]);
      if (sizes[k] !== 1 && sizes[k] !== outputs) return undefined;
    }
    slots.push({ param: p, node, kind: slot === 1 ? 'weight' : 'bias', offset, size: sizes[k] });
    offset += sizes[k];
  }
  return slots;
}

/** Gemm Y = α·A·W' + β·C: per example, dW' = α·a_i ⊗ g_i (stored as W is), dC = β·g_i (or Σ g_i for a scalar C). */
export function fillDense(out: Float32Array, total: number, s: DenseSlot, a: Float32Array, g: Float32Array, count: number): void {
  const attrs = new Attrs(s.node);
  const alpha = attrs.float('alpha', 1);
  const beta = attrs.float('beta', 1);
  const transB = attrs.int('transB', 0) === 1;
  const inputs = a.length / count;
  const outputs = g.length / count;
  for (let i = 0; i < count; i++) {
    const row = out.subarray(i * total + s.offset, i * total + s.offset + s.size);
    const ai = a.subarray(i * inputs, (i + 1) * inputs);
    const gi = g.subarray(i * outputs, (i + 1) * outputs);
    if (s.kind === 'bias') {
      if (s.size === outputs) for (let o = 0; o < outputs; o++) row[o] = beta * gi[o];
      else row[0] = beta * gi.reduce((p, v) => p + v, 0);
    } else if (transB) {
      for (let o = 0; o < outputs; o++) for (let k = 0; k < inputs; k++) row[o * inputs + k] = alpha * gi[o] * ai[k];
    } else {
      for (let k = 0; k < inputs; k++) for (let o = 0; o < outputs; o++) row[k * outputs + o] = alpha * ai[k] * gi[o];
    }
  }
}
