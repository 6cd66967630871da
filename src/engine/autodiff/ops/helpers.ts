/**
 * Ops the backward pass, loss heads and lowerings emit, and the shape arithmetic PyTorch exports
 * (Shape → Gather → Unsqueeze → Concat → Reshape, F.pad's ConstantOfShape → Slice chains), folded to
 * constants because shapes are static (fold.ts).
 * None but Cast carries a gradient (Gather, in gather.ts, too): a differentiable path through them is refused by name.
 */
import { Attrs, nodeError } from '../../graph/attrs';
import { DataType } from '../../graph/ir';
import { attr, constInts, normAxis, sameAs, type OpDef } from '../opdef';
import { broadcastShapes } from './broadcast';
import { foldElementwise, foldRearranged, INT_TYPES, knownValues, toValues } from './fold';

function simple(type: string, arity: [number, number], attributes: string[], infer: OpDef['infer']): OpDef {
  return { type, arity, attributes, infer };
}

const compare = (type: string, f: (x: number, y: number) => boolean): OpDef =>
  simple(type, [2, 2], [], (node, b) => {
    const inputs = node.inputs.map((n) => b.meta(n));
    const shape = broadcastShapes(b, node, inputs.map((m) => m.shape));
    return [{ shape, type: DataType.BOOL, value: foldElementwise(inputs, shape, DataType.BOOL, (x, y) => Number(f(x, y))) }];
  });

export const Greater = compare('Greater', (x, y) => x > y);
export const GreaterOrEqual = compare('GreaterOrEqual', (x, y) => x >= y);
export const LessOrEqual = compare('LessOrEqual', (x, y) => x <= y);
export const Equal = compare('Equal', (x, y) => x === y);
export const And = compare('And', (x, y) => x !== 0 && y !== 0);

export const Sign = simple('Sign', [1, 1], [], (node, b) => [sameAs(b.meta(node.inputs[0]))]);

export const Where = simple('Where', [3, 3], [], (node, b) => {
  const inputs = node.inputs.map((n) => b.meta(n));
  const shape = broadcastShapes(b, node, inputs.map((m) => m.shape));
  const type = inputs[1].type;
  return [{ shape, type, value: foldElementwise(inputs, shape, type, (c, x, y) => (c ? x : y)) }];
});

export const ConstantOfShape = simple('ConstantOfShape', [1, 1], ['value'], (node, b) => {
  const value = new Attrs(node, b.file).raw('value');
  const shape = constInts(b, node, 0, 'shape');
  const type = value?.type === 'tensor' ? value.value.dataType : DataType.FLOAT;
  const fill = value?.type === 'tensor' ? { shape: [], type, value: value.value.data } : undefined;
  return [{ shape, type, value: fill && foldElementwise([fill], shape, type, (v) => v) }];
});

export const Expand = simple('Expand', [2, 2], [], (node, b) => {
  const x = b.meta(node.inputs[0]);
  const shape = broadcastShapes(b, node, [x.shape, constInts(b, node, 1, 'shape')]);
  return [{ shape, type: x.type, value: foldElementwise([x], shape, x.type, (v) => v) }];
});

/** MaxUnpool with an explicit output_shape: the input gradient of MaxPool (maxPool.ts). */
export const MaxUnpool = simple('MaxUnpool', [3, 3], ['kernel_shape', 'pads', 'strides'], (node, b) => [
  { shape: constInts(b, node, 2, 'output_shape'), type: b.meta(node.inputs[0]).type },
]);

export const ScatterElements = simple('ScatterElements', [3, 3], ['axis', 'reduction'], (node, b) => [sameAs(b.meta(node.inputs[0]))]);

/** Slice with constant bounds (clamped as ONNX specifies). */
export const Slice = simple('Slice', [3, 5], [], (node, b) => {
  const x = b.meta(node.inputs[0]);
  const shape = x.shape.slice();
  const first = shape.map(() => 0);
  const stride = shape.map(() => 1);
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
    const s = step > 0 ? clamp(starts[i], 0, d) : clamp(starts[i], 0, d - 1);
    const e = step > 0 ? clamp(ends[i], 0, d) : clamp(ends[i], -1, d - 1);
    shape[a] = Math.max(0, Math.ceil((e - s) / step));
    first[a] = s;
    stride[a] = step;
  });
  return [{ shape, type: x.type, value: foldRearranged(x, shape, (index) => index.map((i, d) => first[d] + i * stride[d])) }];
});

/** Cast; between float types it passes the gradient through (cast back to the input's type). */
export const Cast: OpDef = {
  type: 'Cast',
  attributes: ['to', 'saturate'],
  arity: [1, 1],
  infer(node, b) {
    const to = new Attrs(node, b.file).int('to', DataType.FLOAT);
    const m = b.meta(node.inputs[0]);
    // Integer targets fold integer and float contents alike (float → integer truncates toward zero, as onnxruntime does).
    const v = knownValues(m) ?? (m.value && (m.type === DataType.FLOAT || m.type === DataType.DOUBLE) ? Array.from(m.value as ArrayLike<number>, Math.trunc) : undefined);
    return [{ shape: m.shape.slice(), type: to, value: v && v.every(Number.isFinite) && INT_TYPES.includes(to) ? toValues(v, to) : undefined }];
  },
  grad(node, b, ctx) {
    const from = b.meta(node.inputs[0]).type;
    if (!FLOAT_TYPES.includes(from) || !FLOAT_TYPES.includes(b.meta(node.outputs[0]).type)) return [undefined];
    return [b.op1('Cast', [ctx.dy[0]!], { to: attr.int(from) })];
  },
};

const FLOAT_TYPES: number[] = [DataType.FLOAT, DataType.DOUBLE, DataType.FLOAT16];

export const Shape = simple('Shape', [1, 1], ['start', 'end'], (node, b) => {
  const a = new Attrs(node, b.file);
  const shape = b.shape(node.inputs[0]);
  const dims = shape.slice(a.int('start', 0), a.has('end') ? a.int('end', 0) : undefined);
  return [{ shape: [dims.length], type: DataType.INT64, value: toValues(dims, DataType.INT64) }];
});

