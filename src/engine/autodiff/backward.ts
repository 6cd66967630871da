/**
 * Reverse-mode differentiation: walks the forward nodes backwards and emits each op's vector-Jacobian
 * product, summing contributions where a value is used more than once. Only values on a path from a
 * differentiated parameter to the loss get gradients.
 */
import { nodeError } from '../graph/attrs';
import { DataType, type Node } from '../graph/ir';
import type { GraphBuilder } from './builder';
import { attr } from './opdef';
import { opDefinition } from './registry';

const FLOAT_TYPES: number[] = [DataType.FLOAT, DataType.DOUBLE, DataType.FLOAT16];

/** Appends the backward pass of `loss` (a scalar) and returns the gradient value of each of `wrt`. */
export function appendBackward(b: GraphBuilder, forward: readonly Node[], loss: string, wrt: readonly string[]): Map<string, string> {
  const requiresGrad = new Set(wrt);
  for (const node of forward) {
    if (!node.inputs.some((i) => requiresGrad.has(i))) continue;
    for (const o of node.outputs) if (o && FLOAT_TYPES.includes(b.meta(o).type)) requiresGrad.add(o);
  }
  const reachesLoss = new Set([loss]);
  for (let k = forward.length - 1; k >= 0; k--) {
    const node = forward[k];
    if (node.outputs.some((o) => reachesLoss.has(o))) for (const i of node.inputs) if (i) reachesLoss.add(i);
  }
  const needed = (v: string): boolean => v !== '' && requiresGrad.has(v) && reachesLoss.has(v);

  const contributions = new Map<string, string[]>([[loss, [b.scalar(1)]]]);
  const gradOf = (v: string): string | undefined => {
    const parts = contributions.get(v);
    if (!parts) return undefined;
    if (parts.length > 1) contributions.set(v, [b.op1('Sum', parts)]);
    return contributions.get(v)![0];
  };

  for (let k = forward.length - 1; k >= 0; k--) {
    const node = forward[k];
    const dy = node.outputs.map((o) => (needed(o) ? gradOf(o) : undefined));
    if (dy.every((d) => d === undefined)) continue;
    const def = opDefinition(node, b.file);
    if (!def.grad) throw nodeError(b, node, `${node.opType} has no gradient in Lethe, but a differentiated parameter reaches the loss through it`);
    const needs = (i: number): boolean => needed(node.inputs[i] ?? '');
    const grads = def.grad(node, b, { dy, needs });
    node.inputs.forEach((input, i) => {
      if (!needs(i)) return;
      const g = grads[i];
      if (!g) throw nodeError(b, node, `${node.opType} has no gradient with respect to input ${i} ("${input}"), which depends on a differentiated parameter`);
      if (b.shape(g).join() !== b.shape(input).join()) {
        throw new Error(`internal: gradient of "${input}" at ${node.opType} "${node.name}" has shape [${b.shape(g)}], expected [${b.shape(input)}]`);
      }
      const parts = contributions.get(input);
      if (parts) parts.push(g);
      else contributions.set(input, [g]);
    });
  }

  const out = new Map<string, string>();
  for (const p of wrt) out.set(p, gradOf(p) ?? zerosLike(b, p));
  return out;
}

/** A parameter the loss does not depend on has gradient zero. */
function zerosLike(b: GraphBuilder, v: string): string {
  const m = b.meta(v);
  const value = { name: '', dataType: m.type, dims: [1], data: m.type === DataType.DOUBLE ? new Float64Array(1) : new Float32Array(1) };
  return b.op1('ConstantOfShape', [b.ints(m.shape)], { value: attr.tensor(value) });
}
