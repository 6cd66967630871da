/** ReduceSum / ReduceMean (axes as input, opset ≥ 18 form, or as attribute before): the gradient is dy expanded back. */
import { Attrs } from '../../graph/attrs';
import type { Node } from '../../graph/ir';
import { numel } from '../../graph/ir';
import type { GraphBuilder } from '../builder';
import { constInts, normAxis, type OpDef } from '../opdef';

function reducedAxes(node: Node, b: GraphBuilder): number[] {
  const rank = b.shape(node.inputs[0]).length;
  const a = new Attrs(node, b.file);
  const axes = a.has('axes') ? a.ints('axes', []) : node.inputs[1] ? constInts(b, node, 1, 'axes') : [];
  if (axes.length === 0) {
    a.only('noop_with_empty_axes', a.int('noop_with_empty_axes', 0), [0]);
    return Array.from({ length: rank }, (_, i) => i);
  }
  return axes.map((x) => normAxis(b, node, x, rank, 'axes'));
}

function reduce(type: string, mean: boolean): OpDef {
  return {
    type,
    attributes: ['axes', 'keepdims', 'noop_with_empty_axes'],
    arity: [1, 2],
    infer(node, b) {
      const x = b.meta(node.inputs[0]);
      const axes = reducedAxes(node, b);
      const keep = new Attrs(node, b.file).int('keepdims', 1) === 1;
      const shape = keep ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : x.shape.filter((_, i) => !axes.includes(i));
      return [{ shape, type: x.type }];
    },
    /** Opset-13 ReduceMean carries axes as an attribute; training graphs use the opset-18 input form. */
    lower(node, b) {
      if (!('axes' in node.attrs)) return false;
      const attrs = { ...node.attrs };
      delete attrs.axes;
      b.emit(type, [node.inputs[0], b.ints(reducedAxes(node, b))], node.outputs, attrs);
      return true;
    },
    grad(node, b, ctx) {
      const xShape = b.shape(node.inputs[0]);
      const axes = reducedAxes(node, b);
      const kept = xShape.map((d, i) => (axes.includes(i) ? 1 : d));
      let g = b.op1('Reshape', [ctx.dy[0]!, b.ints(kept)]);
      if (mean) g = b.op1('Mul', [g, b.scalar(1 / numel(axes.map((i) => xShape[i])))]);
      return [b.op1('Expand', [g, b.ints(xShape)])];
    },
  };
}

export const ReduceSum = reduce('ReduceSum', false);
export const ReduceMean = reduce('ReduceMean', true);
