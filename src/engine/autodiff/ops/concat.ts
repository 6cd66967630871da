/** Concat: each input's gradient is its slice of dy along the axis. Integer shape vectors are folded. */
import { Attrs, nodeError } from '../../graph/attrs';
import { normAxis, type OpDef } from '../opdef';
import { knownValues, toValues } from './fold';

export const Concat: OpDef = {
  type: 'Concat',
  attributes: ['axis'],
  arity: [1, Infinity],
  infer(node, b) {
    const metas = node.inputs.map((n) => b.meta(n));
    const rank = metas[0].shape.length;
    const axis = normAxis(b, node, new Attrs(node, b.file).int('axis', 0), rank);
    const shape = metas[0].shape.slice();
    shape[axis] = 0;
    for (const m of metas) {
      if (m.shape.length !== rank || m.shape.some((d, i) => i !== axis && d !== shape[i])) {
        throw nodeError(b, node, `inputs of shapes ${metas.map((x) => `[${x.shape.join(', ')}]`).join(', ')} cannot be concatenated on axis ${axis}`);
      }
      shape[axis] += m.shape[axis];
    }
    const known = rank === 1 ? metas.map(knownValues) : [];
    const value = known.length > 0 && known.every(Boolean) ? toValues(known.flatMap((v) => v!), metas[0].type) : undefined;
    return [{ shape, type: metas[0].type, value }];
  },
  grad(node, b, ctx) {
    const rank = b.shape(node.inputs[0]).length;
    const axis = normAxis(b, node, new Attrs(node, b.file).int('axis', 0), rank);
    let offset = 0;
    return node.inputs.map((x, i) => {
      const start = offset;
      offset += b.shape(x)[axis];
      return ctx.needs(i) ? b.op1('Slice', [ctx.dy[0]!, b.ints([start]), b.ints([offset]), b.ints([axis])]) : undefined;
    });
  },
};
