/** Softmax and LogSoftmax along one axis (opset ≥ 13 semantics). */
import { Attrs } from '../../graph/attrs';
import { attr, normAxis, sameAs, type OpDef } from '../opdef';
import type { Node } from '../../graph/ir';
import type { GraphBuilder } from '../builder';

function axisOf(node: Node, b: GraphBuilder): number {
  return normAxis(b, node, new Attrs(node, b.file).int('axis', -1), b.shape(node.inputs[0]).length);
}

const sumKeep = (b: GraphBuilder, x: string, axis: number): string => b.op1('ReduceSum', [x, b.ints([axis])], { keepdims: attr.int(1) });

/** dx = y ⊙ (dy − Σ dy ⊙ y). */
export const Softmax: OpDef = {
  type: 'Softmax',
  attributes: ['axis'],
  arity: [1, 1],
  infer: (node, b) => (axisOf(node, b), [sameAs(b.meta(node.inputs[0]))]),
  grad(node, b, ctx) {
    const y = node.outputs[0];
    const dy = ctx.dy[0]!;
    const inner = sumKeep(b, b.op1('Mul', [dy, y]), axisOf(node, b));
    return [b.op1('Mul', [y, b.op1('Sub', [dy, inner])])];
  },
};

/** dx = dy − exp(y) ⊙ Σ dy. */
export const LogSoftmax: OpDef = {
  type: 'LogSoftmax',
  attributes: ['axis'],
  arity: [1, 1],
  infer: (node, b) => (axisOf(node, b), [sameAs(b.meta(node.inputs[0]))]),
  grad(node, b, ctx) {
    const dy = ctx.dy[0]!;
    const total = sumKeep(b, dy, axisOf(node, b));
    return [b.op1('Sub', [dy, b.op1('Mul', [b.op1('Exp', [node.outputs[0]]), total])])];
  },
};
