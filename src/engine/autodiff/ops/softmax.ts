/** Softmax and LogSoftmax along one axis (opset ≥ 13 semantics). */
import { Attrs } from '../../graph/attrs';
import type { Node } from '../../graph/ir';
import type { GraphBuilder } from '../builder';
import { attr, normAxis, sameAs, type OpDef } from '../opdef';

/** `grad` returns dx given the output y, dy and a sum over the (normalised) axis that keeps its dimension. */
function alongAxis(type: string, grad: (y: string, dy: string, sumKeep: (x: string) => string, b: GraphBuilder) => string): OpDef {
  const axisOf = (node: Node, b: GraphBuilder): number => normAxis(b, node, new Attrs(node, b.file).int('axis', -1), b.shape(node.inputs[0]).length);
  return {
    type,
    attributes: ['axis'],
    arity: [1, 1],
    infer: (node, b) => (axisOf(node, b), [sameAs(b.meta(node.inputs[0]))]),
    grad(node, b, ctx) {
      const axis = axisOf(node, b);
      const sumKeep = (x: string): string => b.op1('ReduceSum', [x, b.ints([axis])], { keepdims: attr.int(1) });
      return [grad(node.outputs[0], ctx.dy[0]!, sumKeep, b)];
    },
  };
}

/** dx = y ⊙ (dy − Σ dy ⊙ y). */
export const Softmax = alongAxis('Softmax', (y, dy, sumKeep, b) => b.op1('Mul', [y, b.op1('Sub', [dy, sumKeep(b.op1('Mul', [dy, y]))])]));

/** dx = dy − exp(y) ⊙ Σ dy. */
export const LogSoftmax = alongAxis('LogSoftmax', (y, dy, sumKeep, b) => b.op1('Sub', [dy, b.op1('Mul', [b.op1('Exp', [y]), sumKeep(dy)])]));
