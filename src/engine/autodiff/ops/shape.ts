/** Shape: a tensor's (static) shape as an int64 vector, folded, so the shape arithmetic after it folds too (fold.ts). */
import { Attrs } from '../../graph/attrs';
import { DataType } from '../../graph/ir';
import { forwardOnly } from '../opdef';
import { toValues } from './fold';

export const Shape = forwardOnly('Shape', [1, 1], ['start', 'end'], (node, b) => {
  const a = new Attrs(node, b.file);
  const shape = b.shape(node.inputs[0]);
  const dims = shape.slice(a.int('start', 0), a.has('end') ? a.int('end', 0) : undefined);
  return [{ shape: [dims.length], type: DataType.INT64, value: toValues(dims, DataType.INT64) }];
});
