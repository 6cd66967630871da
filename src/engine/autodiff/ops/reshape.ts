/** Ops that only change the shape (Flatten, Reshape, Squeeze, Unsqueeze): the gradient is dy reshaped back. */
import { Attrs, nodeError } from '../../graph/attrs';
import { numel, type Node } from '../../graph/ir';
import type { GraphBuilder } from '../builder';
import { constInts, normAxis, type OpDef } from '../opdef';
import { keepKnownValue } from './fold';

function reshapeLike(type: string, arity: [number, number], attributes: string[], outShape: (node: Node, b: GraphBuilder, x: number[]) => number[]): OpDef {
  return {
    type,
    attributes,
    arity,
    infer(node, b) {
      const x = b.meta(node.inputs[0]);
      const shape = outShape(node, b, x.shape);
      if (numel(shape) !== numel(x.shape)) throw nodeError(b, node, `cannot reshape [${x.shape.join(', ')}] to [${shape.join(', ')}]`);
      return [keepKnownValue(b, node, { shape, type: x.type })];
    },
    grad: (node, b, ctx) => [b.op1('Reshape', [ctx.dy[0]!, b.ints(b.shape(node.inputs[0]))])],
  };
}

export const Flatten = reshapeLike('Flatten', [1, 1], ['axis'], (node, b, x) => {
  const axis = new Attrs(node, b.file).int('axis', 1);
  const a = axis < 0 ? axis + x.length : axis;
  if (a < 0 || a > x.length) throw nodeError(b, node, `axis ${axis} is out of range for rank ${x.length}`, 'axis');
  return [numel(x.slice(0, a)), numel(x.slice(a))];
});

export const Reshape = reshapeLike('Reshape', [2, 2], ['allowzero'], (node, b, x) => {
  const allowZero = new Attrs(node, b.file).int('allowzero', 0) === 1;
  const target = constInts(b, node, 1, 'shape');
  const shape = target.map((d, i) => (d === 0 && !allowZero ? x[i] : d));
  const unknown = shape.indexOf(-1);
  if (unknown >= 0) {
    const known = numel(shape.filter((_, i) => i !== unknown));
    shape[unknown] = known === 0 ? 0 : numel(x) / known;
  }
  return shape;
});

/** Axes from the attribute (opset < 13) or from input 1 (opset ≥ 13). */
function axesOf(node: Node, b: GraphBuilder): number[] | undefined {
  const a = new Attrs(node, b.file);
  if (a.has('axes')) return a.ints('axes', []);
  return node.inputs[1] ? constInts(b, node, 1, 'axes') : undefined;
}

export const Squeeze = reshapeLike('Squeeze', [1, 2], ['axes'], (node, b, x) => {
  const axes = axesOf(node, b)?.map((a) => normAxis(b, node, a, x.length, 'axes'));
  return x.filter((d, i) => (axes ? !axes.includes(i) : d !== 1));
});

export const Unsqueeze = reshapeLike('Unsqueeze', [1, 2], ['axes'], (node, b, x) => {
  const axes = axesOf(node, b);
  if (!axes) throw nodeError(b, node, 'missing axes');
  const rank = x.length + axes.length;
  const norm = axes.map((a) => normAxis(b, node, a, rank, 'axes'));
  const out: number[] = [];
  let j = 0;
  for (let i = 0; i < rank; i++) out.push(norm.includes(i) ? 1 : x[j++]);
  return out;
});
