/** Transpose: the gradient is dy transposed by the inverse permutation. */
import { Attrs, nodeError } from '../../graph/attrs';
import { attr, type OpDef } from '../opdef';
import { foldRearranged } from './fold';

export const Transpose: OpDef = {
  type: 'Transpose',
  attributes: ['perm'],
  arity: [1, 1],
  infer(node, b) {
    const x = b.meta(node.inputs[0]);
    const perm = new Attrs(node, b.file).ints('perm', x.shape.map((_, i) => x.shape.length - 1 - i));
    if (perm.length !== x.shape.length || [...perm].sort((p, q) => p - q).some((p, i) => p !== i)) {
      throw nodeError(b, node, `perm [${perm.join(', ')}] is not a permutation of rank ${x.shape.length}`, 'perm');
    }
    const shape = perm.map((p) => x.shape[p]);
    return [{ shape, type: x.type, value: foldRearranged(x, shape, (index) => perm.map((_, d) => index[perm.indexOf(d)])) }];
  },
  grad(node, b, ctx) {
    const rank = b.shape(node.inputs[0]).length;
    const perm = new Attrs(node, b.file).ints('perm', Array.from({ length: rank }, (_, i) => rank - 1 - i));
    const inverse = new Array<number>(rank);
    perm.forEach((p, i) => (inverse[p] = i));
    return [b.op1('Transpose', [ctx.dy[0]!], { perm: attr.ints(inverse) })];
  },
};
