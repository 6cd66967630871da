/** Cast; between float types it passes the gradient through (cast back to the input's type). */
import { Attrs } from '../../graph/attrs';
import { DataType } from '../../graph/ir';
import { attr, type OpDef } from '../opdef';
import { INT_TYPES, knownValues, toValues } from './fold';

const FLOAT_TYPES: number[] = [DataType.FLOAT, DataType.DOUBLE, DataType.FLOAT16];

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
