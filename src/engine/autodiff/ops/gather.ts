/**
 * Gather along one axis. Integer shape vectors are folded (PyTorch's x.size(0)); on float data with constant
 * indices (x[:, 0], x[:, [2, 5]]) the gradient scatters dy back by a product with the indices' one-hot matrix,
 * which also sums repeated indices.
 */
import { Attrs, nodeError } from '../../graph/attrs';
import { numel } from '../../graph/ir';
import { normAxis, type OpDef } from '../opdef';
import { knownValues, toValues } from './fold';

export const Gather: OpDef = {
  type: 'Gather',
  attributes: ['axis'],
  arity: [2, 2],
  infer(node, b) {
    const data = b.meta(node.inputs[0]);
    const indices = b.meta(node.inputs[1]);
    const axis = normAxis(b, node, new Attrs(node, b.file).int('axis', 0), data.shape.length);
    const shape = [...data.shape.slice(0, axis), ...indices.shape, ...data.shape.slice(axis + 1)];
    const src = knownValues(data);
    const at = knownValues(indices);
    const value = src && at && data.shape.length === 1 ? toValues(at.map((i) => src[i < 0 ? i + src.length : i]), data.type) : undefined;
    return [{ shape, type: data.type, value }];
  },
  grad(node, b, ctx) {
    const [data, indices] = node.inputs;
    const shape = b.shape(data);
    const axis = normAxis(b, node, new Attrs(node, b.file).int('axis', 0), shape.length);
    const at = knownValues(b.meta(indices));
    if (!at) throw nodeError(b, node, 'the gradient of Gather needs constant indices (a differentiated parameter reaches the loss through indices computed at run time)');
    const dim = shape[axis];
    const picked = at.map((i) => (i < 0 ? i + dim : i));
    // oneHotT[d, j] = 1 where index j picks row d: dx[pre, d, post] = Σ_j oneHotT[d, j] · dy[pre, j, post].
    const oneHotT = new Array<number>(dim * picked.length).fill(0);
    picked.forEach((d, j) => (oneHotT[d * picked.length + j] = 1));
    const dy = b.op1('Reshape', [ctx.dy[0]!, b.ints([numel(shape.slice(0, axis)), picked.length, numel(shape.slice(axis + 1))])]);
    const dx = b.op1('MatMul', [b.floats(oneHotT, [dim, picked.length]), dy]);
    return [b.op1('Reshape', [dx, b.ints(shape)]), undefined];
  },
};
