/** NumPy broadcasting for shape rules, and its adjoint for gradients: summing back to an input's shape. */
import { nodeError } from '../../graph/attrs';
import type { Node } from '../../graph/ir';
import type { GraphBuilder } from '../builder';
import { attr } from '../opdef';

export function broadcastShapes(b: GraphBuilder, node: Node, shapes: number[][]): number[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    let d = 1;
    for (const s of shapes) {
      const v = s[s.length - rank + i] ?? 1;
      if (v === 1 || v === d) continue;
      if (d !== 1) throw nodeError(b, node, `shapes ${shapes.map((x) => `[${x.join(', ')}]`).join(' and ')} do not broadcast`);
      d = v;
    }
    out.push(d);
  }
  return out;
}

/** Sums a gradient over the axes that broadcasting expanded, giving it the shape `target`. */
export function sumToShape(b: GraphBuilder, g: string, target: number[]): string {
  const shape = b.shape(g);
  const lead = shape.length - target.length;
  const axes: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (i < lead || (target[i - lead] === 1 && shape[i] !== 1)) axes.push(i);
  }
  if (axes.length === 0) return g;
  const summed = b.op1('ReduceSum', [g, b.ints(axes)], { keepdims: attr.int(1) });
  return lead > 0 ? b.op1('Reshape', [summed, b.ints(target)]) : summed;
}
