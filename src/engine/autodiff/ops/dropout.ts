/**
 * Dropout: the identity in evaluation mode; in training mode y = x ⊙ mask with the mask a graph input
 * (keep/(1 − ratio) or 0) drawn in TypeScript from a seeded Rng, so a step is reproducible.
 */
import { Attrs, nodeError } from '../../graph/attrs';
import { DataType } from '../../graph/ir';
import { sameAs, type OpDef } from '../opdef';

export const Dropout: OpDef = {
  type: 'Dropout',
  attributes: ['ratio', 'seed'],
  arity: [1, 3],
  infer(node, b) {
    if (node.outputs[1]) throw nodeError(b, node, 'the mask output is not supported');
    const x = b.meta(node.inputs[0]);
    return [sameAs(x), { shape: x.shape.slice(), type: DataType.BOOL }];
  },
  lower(node, b, ctx) {
    const [x, ratioInput] = node.inputs;
    if (!ctx.train) {
      b.emit('Identity', [x], [node.outputs[0]]);
      return true;
    }
    const a = new Attrs(node, b.file);
    let ratio = a.float('ratio', 0.5);
    if (ratioInput) {
      const v = b.meta(ratioInput).value;
      if (!v) throw nodeError(b, node, 'input 1 (ratio) must be a constant');
      ratio = Number(v[0]);
    }
    if (!(ratio >= 0 && ratio < 1)) throw nodeError(b, node, `ratio ${ratio} must be in [0, 1)`);
    b.emit('Mul', [x, ctx.maskInput(node, b.shape(x), ratio)], [node.outputs[0]]);
    return true;
  },
};
