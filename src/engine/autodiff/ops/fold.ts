/**
 * Build-time contents of small integer and boolean tensors: shapes, pads, axes and the arithmetic on them.
 * PyTorch leaves that arithmetic unfolded in exports meant for training (with constant folding off, or in
 * TrainingMode.PRESERVE, F.pad's pads become ConstantOfShape → Concat → Reshape → Slice → Transpose →
 * Reshape). Lethe's shapes are static, so each op that can appear there computes its result's contents
 * beside its shape rule, with these helpers; onnxruntime still runs the nodes.
 */
import { DataType, numel, type Node, type TensorData } from '../../graph/ir';
import type { GraphBuilder, ValueMeta } from '../builder';
import { requireInput } from '../opdef';

export const INT_TYPES: readonly number[] = [DataType.INT64, DataType.INT32];
const FOLDABLE: readonly number[] = [...INT_TYPES, DataType.BOOL];
/** Larger integer tensors are data rather than shape arithmetic: left to onnxruntime alone. */
const MAX_FOLDED = 1 << 16;

/** The contents of an integer or boolean value known at build time, as numbers. */
export function knownValues(m: ValueMeta): number[] | undefined {
  if (!m.value || !FOLDABLE.includes(m.type) || m.value.length > MAX_FOLDED) return undefined;
  return Array.from(m.value as ArrayLike<number | bigint>, Number);
}

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

/**
 * Numbers as the contents of a tensor of `type` (undefined for types that are not folded). Int64 values
 * saturate: INT64_MAX, the "to the end" sentinel of Slice, is 2^63 as a number and must not wrap to INT64_MIN.
 */
export function toValues(values: ArrayLike<number | bigint>, type: number): TensorData | undefined {
  const nums = Array.from(values, Number);
  if (type === DataType.INT64) return BigInt64Array.from(nums, (n) => { const v = BigInt(n); return v > INT64_MAX ? INT64_MAX : v < INT64_MIN ? INT64_MIN : v; });
  if (type === DataType.INT32) return Int32Array.from(nums);
  if (type === DataType.BOOL) return Uint8Array.from(nums, (v) => (v ? 1 : 0));
  return undefined;
}

/** Calls `at` with each multi-index of `shape` in row-major order and collects what it returns. */
function tabulate(shape: readonly number[], at: (index: readonly number[]) => number): number[] {
  const out: number[] = [];
  const n = numel(shape as number[]);
  const index = shape.map(() => 0);
  for (let k = 0; k < n; k++) {
    out.push(at(index));
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++index[d] < shape[d]) break;
      index[d] = 0;
    }
  }
  return out;
}

/** Flat row-major position of `index` in `shape`. */
function flat(shape: readonly number[], index: readonly number[]): number {
  let p = 0;
  for (let d = 0; d < shape.length; d++) p = p * shape[d] + index[d];
  return p;
}

/** The flat position in `shape`, broadcast (NumPy rules) to the output, of an output multi-index. */
function broadcastAt(shape: readonly number[], index: readonly number[]): number {
  const lead = index.length - shape.length;
  let p = 0;
  for (let d = 0; d < shape.length; d++) p = p * shape[d] + (shape[d] === 1 ? 0 : index[lead + d]);
  return p;
}

/**
 * Elementwise `f` over broadcast inputs, when all are known and the output is small; undefined otherwise
 * (also when `f` gives a non-integer, such as an integer division by zero).
 */
export function foldElementwise(inputs: readonly ValueMeta[], shape: number[], type: number, f: (...xs: number[]) => number): TensorData | undefined {
  const values = inputs.map(knownValues);
  if (values.some((v) => !v) || numel(shape) > MAX_FOLDED) return undefined;
  const out = tabulate(shape, (index) => f(...values.map((v, i) => v![broadcastAt(inputs[i].shape, index)])));
  return out.every(Number.isInteger) ? toValues(out, type) : undefined;
}

/** Known contents rearranged: output element at `index` is the input's element at `source(index)`. */
export function foldRearranged(input: ValueMeta, shape: number[], source: (index: readonly number[]) => number[]): TensorData | undefined {
  const v = knownValues(input);
  if (!v || numel(shape) > MAX_FOLDED) return undefined;
  return toValues(tabulate(shape, (index) => v[flat(input.shape, source(index))]), input.type);
}

/** Keeps the contents of input `i` for ops that only reshape it (Reshape, Squeeze, Unsqueeze, Flatten). */
export function keepKnownValue(b: GraphBuilder, node: Node, meta: ValueMeta, i = 0): ValueMeta {
  const src = requireInput(b, node, i, 'data');
  if (src.value && FOLDABLE.includes(src.type) && numel(meta.shape) === src.value.length) return { ...meta, value: src.value };
  return meta;
}
