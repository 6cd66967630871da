/**
 * Constant: a value known at build time (its small integer contents feed shape folding); ConstantOfShape:
 * a constant-filled tensor of a constant shape (zero gradients, F.pad's exported pads). Forward only.
 */
import { Attrs, nodeError } from '../../graph/attrs';
import { DataType } from '../../graph/ir';
import type { ValueMeta } from '../builder';
import { constInts, forwardOnly, type OpDef } from '../opdef';
import { foldElementwise } from './fold';

export const Constant: OpDef = {
  type: 'Constant',
  attributes: ['value', 'value_float', 'value_floats', 'value_int', 'value_ints'],
  arity: [0, 0],
  infer(node, b): ValueMeta[] {
    const a = new Attrs(node, b.file);
    const v = a.raw('value');
    if (v?.type === 'tensor') return [{ shape: v.value.dims.slice(), type: v.value.dataType, value: v.value.data }];
    if (a.has('value_float')) return [{ shape: [], type: DataType.FLOAT, value: Float32Array.of(a.float('value_float', 0)) }];
    if (a.has('value_floats')) {
      const fs = a.raw('value_floats')!.value as number[];
      return [{ shape: [fs.length], type: DataType.FLOAT, value: Float32Array.from(fs) }];
    }
    if (a.has('value_int')) return [{ shape: [], type: DataType.INT64, value: BigInt64Array.of(BigInt(a.int('value_int', 0))) }];
    if (a.has('value_ints')) {
      const is = a.ints('value_ints', []);
      return [{ shape: [is.length], type: DataType.INT64, value: BigInt64Array.from(is.map(BigInt)) }];
    }
    throw nodeError(b, node, 'no supported value attribute (value, value_float(s), value_int(s))');
  },
};

export const ConstantOfShape = forwardOnly('ConstantOfShape', [1, 1], ['value'], (node, b) => {
  const value = new Attrs(node, b.file).raw('value');
  const shape = constInts(b, node, 0, 'shape');
  const type = value?.type === 'tensor' ? value.value.dataType : DataType.FLOAT;
  const fill = value?.type === 'tensor' ? { shape: [], type, value: value.value.data } : undefined;
  return [{ shape, type, value: fill && foldElementwise([fill], shape, type, (v) => v) }];
});
