/** Expand: broadcasts its input to a constant shape (the gradients of AveragePool and ReduceMean emit it). Forward only. */
import { constInts, forwardOnly } from '../opdef';
import { broadcastShapes } from './broadcast';
import { foldElementwise } from './fold';

export const Expand = forwardOnly('Expand', [2, 2], [], (node, b) => {
  const x = b.meta(node.inputs[0]);
  const shape = broadcastShapes(b, node, [x.shape, constInts(b, node, 1, 'shape')]);
  return [{ shape, type: x.type, value: foldElementwise([x], shape, x.type, (v) => v) }];
});
