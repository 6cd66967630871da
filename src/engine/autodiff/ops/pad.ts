/** Pad (constant mode, non-negative pads): the gradient is the slice of dy where the input sits. */
import { Attrs, nodeError } from '../../graph/attrs';
import { constInts, normAxis, type OpDef } from '../opdef';
import type { Node } from '../../graph/ir';
import type { GraphBuilder } from '../builder';

/** Begin and end pads for every axis (pads as input, opset ≥ 11; the optional axes input of opset 18). */
function padsOf(node: Node, b: GraphBuilder): { begin: number[]; end: number[] } {
  const a = new Attrs(node, b.file);
  a.only('mode', a.string('mode', 'constant'), ['constant']);
  const rank = b.shape(node.inputs[0]).length;
  const pads = constInts(b, node, 1, 'pads');
  const axes = node.inputs[3] ? constInts(b, node, 3, 'axes').map((x) => normAxis(b, node, x, rank, 'axes')) : Array.from({ length: rank }, (_, i) => i);
  if (pads.length !== 2 * axes.length) throw nodeError(b, node, `pads has ${pads.length} values for ${axes.length} axes`);
  if (pads.some((p) => p < 0)) throw nodeError(b, node, `negative pads [${pads.join(', ')}] are not supported`);
  const begin = new Array<number>(rank).fill(0);
  const end = new Array<number>(rank).fill(0);
  axes.forEach((ax, i) => {
    begin[ax] = pads[i];
    end[ax] = pads[i + axes.length];
  });
  return { begin, end };
}

export const Pad: OpDef = {
  type: 'Pad',
  attributes: ['mode'],
  arity: [2, 4],
  infer(node, b) {
    const x = b.meta(node.inputs[0]);
    const { begin, end } = padsOf(node, b);
    return [{ shape: x.shape.map((d, i) => d + begin[i] + end[i]), type: x.type }];
  },
  grad(node, b, ctx) {
    const shape = b.shape(node.inputs[0]);
    const { begin } = padsOf(node, b);
    const axes = shape.map((_, i) => i);
    return [b.op1('Slice', [ctx.dy[0]!, b.ints(begin), b.ints(begin.map((s, i) => s + shape[i])), b.ints(axes)])];
  },
};
