/** Broadcasting binary arithmetic: Add, Sub, Mul, Div, and the variadic Sum the backward pass accumulates with. */
import type { Node } from '../../graph/ir';
import type { GraphBuilder } from '../builder';
import { attr, type GradCtx, type OpDef } from '../opdef';
import { broadcastShapes, sumToShape } from './broadcast';
import { foldElementwise } from './fold';

/** `fold` computes the result on known integer contents (shape arithmetic, fold.ts). */
function binary(type: string, fold: (x: number, y: number) => number, grad: (node: Node, b: GraphBuilder, dy: string, ctx: GradCtx) => (string | undefined)[]): OpDef {
  return {
    type,
    attributes: [],
    arity: [2, 2],
    infer(node, b) {
      const [x, y] = node.inputs.map((n) => b.meta(n));
      const shape = broadcastShapes(b, node, [x.shape, y.shape]);
      return [{ shape, type: x.type, value: foldElementwise([x, y], shape, x.type, fold) }];
    },
    grad(node, b, ctx) {
      const dy = ctx.dy[0]!;
      return grad(node, b, dy, ctx).map((g, i) => (g && ctx.needs(i) ? sumToShape(b, g, b.shape(node.inputs[i])) : undefined));
    },
  };
}

export const Add = binary('Add', (x, y) => x + y, (_node, _b, dy) => [dy, dy]);

export const Sub = binary('Sub', (x, y) => x - y, (_node, b, dy, ctx) => [dy, ctx.needs(1) ? b.op1('Neg', [dy]) : undefined]);

export const Mul = binary('Mul', (x, y) => x * y, (node, b, dy, ctx) => {
  const [x, y] = node.inputs;
  return [ctx.needs(0) ? b.op1('Mul', [dy, y]) : undefined, ctx.needs(1) ? b.op1('Mul', [dy, x]) : undefined];
});

/** z = x / y: dx = dy / y, dy_y = −dy · z / y. */
export const Div = binary('Div', (x, y) => Math.trunc(x / y), (node, b, dy, ctx) => {
  const [, y] = node.inputs;
  const dyOverY = b.op1('Div', [dy, y]);
  return [dyOverY, ctx.needs(1) ? b.op1('Neg', [b.op1('Mul', [dyOverY, node.outputs[0]])]) : undefined];
});

/** z = x^e: dx = dy · e · x^(e−1), de = dy · z · ln x (PyTorch's LayerNorm pattern uses Pow(x, 2)). */
export const Pow = binary('Pow', (x, y) => x ** y, (node, b, dy, ctx) => {
  const [x, e0] = node.inputs;
  const type = b.meta(x).type;
  const e = b.meta(e0).type === type ? e0 : b.op1('Cast', [e0], { to: attr.int(type) });
  const dx = ctx.needs(0) ? b.op1('Mul', [dy, b.op1('Mul', [e, b.op1('Pow', [x, b.op1('Sub', [e, b.scalar(1)])])])]) : undefined;
  const de = ctx.needs(1) ? b.op1('Mul', [dy, b.op1('Mul', [node.outputs[0], b.op1('Log', [x])])]) : undefined;
  return [dx, de];
});

export const Sum: OpDef = {
  type: 'Sum',
  attributes: [],
  arity: [1, Infinity],
  infer(node, b) {
    const metas = node.inputs.map((n) => b.meta(n));
    return [{ shape: broadcastShapes(b, node, metas.map((m) => m.shape)), type: metas[0].type }];
  },
  grad(node, b, ctx) {
    return node.inputs.map((x, i) => (ctx.needs(i) ? sumToShape(b, ctx.dy[0]!, b.shape(x)) : undefined));
  },
};
