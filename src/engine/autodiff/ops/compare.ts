/**
 * Comparisons, And, Where and Sign: the masks and selections that the gradients of Relu, LeakyRelu, Clip
 * and Abs emit (unary.ts), and that exported shape arithmetic uses. Forward only; folded on known contents.
 */
import { DataType } from '../../graph/ir';
import { forwardOnly, sameAs, type OpDef } from '../opdef';
import { broadcastShapes } from './broadcast';
import { foldElementwise } from './fold';

const compare = (type: string, f: (x: number, y: number) => boolean): OpDef =>
  forwardOnly(type, [2, 2], [], (node, b) => {
    const inputs = node.inputs.map((n) => b.meta(n));
    const shape = broadcastShapes(b, node, inputs.map((m) => m.shape));
    return [{ shape, type: DataType.BOOL, value: foldElementwise(inputs, shape, DataType.BOOL, (x, y) => Number(f(x, y))) }];
  });

export const Greater = compare('Greater', (x, y) => x > y);
export const GreaterOrEqual = compare('GreaterOrEqual', (x, y) => x >= y);
export const LessOrEqual = compare('LessOrEqual', (x, y) => x <= y);
export const Equal = compare('Equal', (x, y) => x === y);
export const And = compare('And', (x, y) => x !== 0 && y !== 0);

export const Where = forwardOnly('Where', [3, 3], [], (node, b) => {
  const inputs = node.inputs.map((n) => b.meta(n));
  const shape = broadcastShapes(b, node, inputs.map((m) => m.shape));
  const type = inputs[1].type;
  return [{ shape, type, value: foldElementwise(inputs, shape, type, (c, x, y) => (c ? x : y)) }];
});

export const Sign = forwardOnly('Sign', [1, 1], [], (node, b) => [sameAs(b.meta(node.inputs[0]))]);
