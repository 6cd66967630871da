/** Gemm: Y = alpha·A'·B' + beta·C, with A' = transA ? Aᵀ : A and B' likewise. Gradients are Gemms with flipped transposes. */
import { Attrs, nodeError } from '../../graph/attrs';
import type { GraphBuilder } from '../builder';
import { attr, type OpDef } from '../opdef';
import { broadcastShapes, sumToShape } from './broadcast';

export const Gemm: OpDef = {
  type: 'Gemm',
  attributes: ['alpha', 'beta', 'transA', 'transB'],
  arity: [2, 3],
  infer(node, b) {
    const a = new Attrs(node, b.file);
    const [A, B] = [b.meta(node.inputs[0]), b.meta(node.inputs[1])];
    if (A.shape.length !== 2 || B.shape.length !== 2) throw nodeError(b, node, `A and B must be matrices, got [${A.shape.join(', ')}] and [${B.shape.join(', ')}]`);
    const [m, k] = a.int('transA', 0) ? [A.shape[1], A.shape[0]] : A.shape;
    const [k2, n] = a.int('transB', 0) ? [B.shape[1], B.shape[0]] : B.shape;
    if (k !== k2) throw nodeError(b, node, `inner dimensions differ: A' is [${m}, ${k}], B' is [${k2}, ${n}]`);
    const shape = [m, n];
    if (node.inputs[2]) broadcastShapes(b, node, [shape, b.shape(node.inputs[2])]);
    return [{ shape, type: A.type }];
  },
  grad(node, b, ctx) {
    const a = new Attrs(node, b.file);
    const alpha = a.float('alpha', 1);
    const beta = a.float('beta', 1);
    const transA = a.int('transA', 0);
    const transB = a.int('transB', 0);
    const [A, B, C] = node.inputs;
    const dY = ctx.dy[0]!;
    const gemm = (x: string, y: string, tx: number, ty: number): string =>
      b.op1('Gemm', [x, y], { alpha: attr.float(alpha), transA: attr.int(tx), transB: attr.int(ty) });
    // dA' = dY·B'ᵀ, dB' = A'ᵀ·dY; transposed operands are stored transposed, so their gradients are too.
    const dA = !ctx.needs(0) ? undefined : transA ? gemm(B, dY, transB, 1) : gemm(dY, B, 0, 1 - transB);
    const dB = !ctx.needs(1) ? undefined : transB ? gemm(dY, A, 1, transA) : gemm(A, dY, 1 - transA, 0);
    let dC: string | undefined;
    if (C && ctx.needs(2)) {
      const summed = biasGradient(b, dY, b.shape(C));
      dC = beta === 1 ? summed : b.op1('Mul', [summed, b.scalar(beta)]);
    }
    return [dA, dB, dC];
  },
};

/**
 * dY summed to the bias's shape. A row bias (the usual [N]) sums dY's rows as a product with a row of ones:
 * onnxruntime's ReduceSum over the first axis took 40 µs for [128, 256], the product 3 µs.
 */
function biasGradient(b: GraphBuilder, dY: string, cShape: number[]): string {
  const [m, n] = b.shape(dY);
  const rowBias = cShape[cShape.length - 1] === n && cShape.slice(0, -1).every((d) => d === 1);
  if (!rowBias || m === 1) return sumToShape(b, dY, cShape);
  const sum = b.op1('Gemm', [b.floats(new Array<number>(m).fill(1), [1, m]), dY]);
  return b.op1('Reshape', [sum, b.ints(cShape)]);
}
