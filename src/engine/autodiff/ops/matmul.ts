/** MatMul of rank ≥ 2 operands with broadcast batch dimensions: dA = dY·Bᵀ, dB = Aᵀ·dY, summed back to each shape. */
import { nodeError } from '../../graph/attrs';
import type { GraphBuilder } from '../builder';
import { attr, type OpDef } from '../opdef';
import { broadcastShapes, sumToShape } from './broadcast';

function swapLast(b: GraphBuilder, x: string): string {
  const rank = b.shape(x).length;
  const perm = Array.from({ length: rank }, (_, i) => i);
  [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1], perm[rank - 2]];
  return b.op1('Transpose', [x], { perm: attr.ints(perm) });
}

export const MatMul: OpDef = {
  type: 'MatMul',
  attributes: [],
  arity: [2, 2],
  infer(node, b) {
    const [A, B] = [b.meta(node.inputs[0]), b.meta(node.inputs[1])];
    if (A.shape.length < 2 || B.shape.length < 2) {
      throw nodeError(b, node, `operands of rank 1 are not supported (shapes [${A.shape.join(', ')}] and [${B.shape.join(', ')}])`);
    }
    const [m, k] = A.shape.slice(-2);
    const [k2, n] = B.shape.slice(-2);
    if (k !== k2) throw nodeError(b, node, `inner dimensions differ: [${A.shape.join(', ')}] · [${B.shape.join(', ')}]`);
    const batch = broadcastShapes(b, node, [A.shape.slice(0, -2), B.shape.slice(0, -2)]);
    return [{ shape: [...batch, m, n], type: A.type }];
  },
  grad(node, b, ctx) {
    const [A, B] = node.inputs;
    const dY = ctx.dy[0]!;
    return [
      ctx.needs(0) ? sumToShape(b, b.op1('MatMul', [dY, swapLast(b, B)]), b.shape(A)) : undefined,
      ctx.needs(1) ? sumToShape(b, b.op1('MatMul', [swapLast(b, A), dY]), b.shape(B)) : undefined,
    ];
  },
};
