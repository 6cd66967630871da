/** LayerNormalization (opset 17): lowered to primitives over the trailing axes, so its gradient comes from theirs. */
import { Attrs, nodeError } from '../../graph/attrs';
import { normAxis, sameAs, type OpDef } from '../opdef';
import { DataType } from '../../graph/ir';
import { standardize } from './standardize';

export const LayerNormalization: OpDef = {
  type: 'LayerNormalization',
  attributes: ['axis', 'epsilon', 'stash_type'],
  arity: [2, 3],
  infer(node, b) {
    const x = b.meta(node.inputs[0]);
    const a = new Attrs(node, b.file);
    a.only('stash_type', a.int('stash_type', 1), [1]);
    const axis = normAxis(b, node, a.int('axis', -1), x.shape.length);
    const stats = x.shape.map((d, i) => (i < axis ? d : 1));
    const normalized = x.shape.slice(axis).join();
    for (const i of [1, 2]) {
      if (node.inputs[i] && b.shape(node.inputs[i]).join() !== normalized) {
        throw nodeError(b, node, `input ${i} must have shape [${normalized}], got [${b.shape(node.inputs[i]).join(', ')}]`);
      }
    }
    return [sameAs(x), { shape: stats, type: DataType.FLOAT }, { shape: stats, type: DataType.FLOAT }];
  },
  lower(node, b) {
    const a = new Attrs(node, b.file);
    const [x, scale, bias] = node.inputs;
    const rank = b.shape(x).length;
    const axis = normAxis(b, node, a.int('axis', -1), rank);
    const axes = Array.from({ length: rank - axis }, (_, i) => axis + i);
    const st = standardize(b, x, axes, a.float('epsilon', 1e-5));
    const scaled = b.op1('Mul', [b.op1('Mul', [st.centered, st.invStd]), scale]);
    if (bias) b.emit('Add', [scaled, bias], [node.outputs[0]]);
    else b.emit('Identity', [scaled], [node.outputs[0]]);
    if (node.outputs[1]) b.emit('Identity', [st.mean], [node.outputs[1]]);
    if (node.outputs[2]) b.emit('Identity', [st.invStd], [node.outputs[2]]);
    return true;
  },
};
