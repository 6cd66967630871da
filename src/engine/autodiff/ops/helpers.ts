/**
 * Ops the backward pass, loss heads and lowerings emit, and the shape arithmetic PyTorch exports
 * (Shape → Gather → Unsqueeze → Concat → Reshape), folded to constants because shapes are static.
 * None but Cast carries a gradient: a differentiable path through them is refused by name.
 */
import { DataType, numel, type Node, type TensorData } from '../../graph/ir';
import type { GraphBuilder, ValueMeta } from '../builder';
import { attr, Attrs, constInts, nodeError, normAxis, requireInput, sameAs, type OpDef } from '../opdef';
import { broadcastShapes } from './broadcast';

function simple(type: string, arity: [number, number], attributes: string[], infer: OpDef['infer']): OpDef {
  return { type, arity, attributes, infer };
}

const compare = (type: string): OpDef =>
  simple(type, [2, 2], [], (node, b) => [{ shape: broadcastShapes(b, node, node.inputs.map((n) => b.shape(n))), type: DataType.BOOL }]);

export const Greater = compare('Greater');
export const GreaterOrEqual = compare('GreaterOrEqual');
export const LessOrEqual = compare('LessOrEqual');
export const Equal = compare('Equal');
export const And = compare('And');

export const Sign = simple('Sign', [1, 1], [], (node, b) => [sameAs(b.meta(node.inputs[0]))]);

export const Where = simple('Where', [3, 3], [], (node, b) => [
  { shape: broadcastShapes(b, node, node.inputs.map((n) => b.shape(n))), type: b.meta(node.inputs[1]).type },
]);

export const ConstantOfShape = simple('ConstantOfShape', [1, 1], ['value'], (node, b) => {
  const value = new Attrs(b, node).raw('value');
  return [{ shape: constInts(b, node, 0, 'shape'), type: value?.type === 'tensor' ? value.value.dataType : DataType.FLOAT }];
});

export const Expand = simple('Expand', [2, 2], [], (node, b) => [
  { shape: broadcastShapes(b, node, [b.shape(node.inputs[0]), constInts(b, node, 1, 'shape')]), type: b.meta(node.inputs[0]).type },
]);

/** MaxUnpool with an explicit output_shape: the input gradient of MaxPool (maxPool.ts). */
export const MaxUnpool = simple('MaxUnpool', [3, 3], ['kernel_shape', 'pads', 'strides'], (node, b) => [
  { shape: constInts(b, node, 2, 'output_shape'), type: b.meta(node.inputs[0]).type },
]);

export const ScatterElements = simple('ScatterElements', [3, 3], ['axis', 'reduction'], (node, b) => [sameAs(b.meta(node.inputs[0]))]);

/** Slice with constant bounds (clamped as ONNX specifies). */
export const Slice = simple('Slice', [3, 5], [], (node, b) => {
  const shape = b.shape(node.inputs[0]).slice();
  const starts = constInts(b, node, 1, 'starts');
  const ends = constInts(b, node, 2, 'ends');
  const axes = node.inputs[3] ? constInts(b, node, 3, 'axes') : starts.map((_, i) => i);
  const steps = node.inputs[4] ? constInts(b, node, 4, 'steps') : starts.map(() => 1);
  axes.forEach((a0, i) => {
    const a = normAxis(b, node, a0, shape.length, 'axes');
    const d = shape[a];
    const step = steps[i];
    if (step === 0) throw nodeError(b, node, 'slice step 0');
    const clamp = (v: number, lo: number, hi: number): number => Math.min(Math.max(v < 0 ? v + d : v, lo), hi);
    const s = step > 0 ? clamp(starts[i], 0, d) : clamp(starts[i], -1, d - 1);
    const e = step > 0 ? clamp(ends[i], 0, d) : clamp(ends[i], -1, d - 1);
    shape[a] = Math.max(0, Math.ceil((e - s) / step));
  });
  return [{ shape, type: b.meta(node.inputs[0]).type }];
});

const INT_TYPES: number[] = [DataType.INT64, DataType.INT32];

/** Cast; between float types it passes the gradient through (cast back to the input's type). */
export const Cast: OpDef = {
  type: 'Cast',
  attributes: ['to', 'saturate'],
  arity: [1, 1],
  infer(node, b) {
    const to = new Attrs(b, node).int('to', DataType.FLOAT);
    const m = b.meta(node.inputs[0]);
    return [{ shape: m.shape.slice(), type: to, value: m.value && INT_TYPES.includes(to) ? toInts(m.value, to) : undefined }];
  },
  grad(node, b, ctx) {
    const from = b.meta(node.inputs[0]).type;
    if (!FLOAT_TYPES.includes(from) || !FLOAT_TYPES.includes(b.meta(node.outputs[0]).type)) return [undefined];
    return [b.op1('Cast', [ctx.dy[0]!], { to: attr.int(from) })];
  },
};

const FLOAT_TYPES: number[] = [DataType.FLOAT, DataType.DOUBLE, DataType.FLOAT16];

export const Shape = simple('Shape', [1, 1], ['start', 'end'], (node, b) => {
  const a = new Attrs(b, node);
  const shape = b.shape(node.inputs[0]);
  const dims = shape.slice(a.int('start', 0), a.has('end') ? a.int('end', 0) : undefined);
  return [{ shape: [dims.length], type: DataType.INT64, value: toInts(dims, DataType.INT64) }];
});

/** Gather: shapes for any input; folded contents for constant integer inputs. */
export const Gather = simple('Gather', [2, 2], ['axis'], (node, b) => {
  const data = b.meta(node.inputs[0]);
  const indices = b.meta(node.inputs[1]);
  const axis = normAxis(b, node, new Attrs(b, node).int('axis', 0), data.shape.length);
  const shape = [...data.shape.slice(0, axis), ...indices.shape, ...data.shape.slice(axis + 1)];
  let value: TensorData | undefined;
  if (data.value && indices.value && data.shape.length === 1 && INT_TYPES.includes(data.type)) {
    const src = Array.from(data.value as ArrayLike<number | bigint>, Number);
    value = toInts(Array.from(indices.value as ArrayLike<number | bigint>, (i) => src[Number(i) < 0 ? Number(i) + src.length : Number(i)]), data.type);
  }
  return [{ shape, type: data.type, value }];
});

function toInts(values: ArrayLike<number | bigint>, type: number): TensorData {
  const nums = Array.from(values, Number);
  return type === DataType.INT64 ? BigInt64Array.from(nums.map(BigInt)) : Int32Array.from(nums);
}

/** Folds a value whose inputs are all known integers (used by Concat/Unsqueeze/Squeeze/Reshape). */
export function foldIntValue(b: GraphBuilder, node: Node, meta: ValueMeta, i = 0): ValueMeta {
  const src = requireInput(b, node, i, 'data');
  if (src.value && INT_TYPES.includes(src.type) && numel(meta.shape) === src.value.length) return { ...meta, value: src.value };
  return meta;
}
