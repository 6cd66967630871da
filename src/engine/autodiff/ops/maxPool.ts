/**
 * MaxPool. For training the node also outputs Indices (flat positions in the input, as ONNX defines them);
 * the gradient puts dy at those positions: MaxUnpool where windows cannot overlap (each position is picked
 * at most once; 2.6× faster than the scatter in the fixture CNN), else ScatterElements with add, so overlapping windows sum.
 * Exact on ties, unlike equality masks: it picks the element the forward pass picked, as PyTorch does.
 * MaxUnpool and ScatterElements are here for that gradient alone (forward only).
 */
import { Attrs, nodeError } from '../../graph/attrs';
import { DataType, numel } from '../../graph/ir';
import { attr, constInts, forwardOnly, sameAs, type OpDef } from '../opdef';
import { windowOf } from './window';

export const MaxPool: OpDef = {
  type: 'MaxPool',
  attributes: ['auto_pad', 'ceil_mode', 'dilations', 'kernel_shape', 'pads', 'storage_order', 'strides'],
  arity: [1, 1],
  infer(node, b) {
    const x = b.meta(node.inputs[0]);
    if (x.shape.length < 3) throw nodeError(b, node, `input must be [N, C, spatial…], got [${x.shape.join(', ')}]`);
    const a = new Attrs(node, b.file);
    a.only('storage_order', a.int('storage_order', 0), [0]);
    const win = windowOf(b, node, x.shape.slice(2), undefined, a.int('ceil_mode', 0) === 1);
    const shape = [...x.shape.slice(0, 2), ...win.out];
    return [{ shape, type: x.type }, { shape, type: DataType.INT64 }];
  },
  lower(node, b) {
    if (node.outputs[1]) return false;
    b.emit('MaxPool', node.inputs, [node.outputs[0], b.fresh('maxpool_indices')], node.attrs);
    return true;
  },
  grad(node, b, ctx) {
    const xShape = b.shape(node.inputs[0]);
    const win = windowOf(b, node, xShape.slice(2), undefined, new Attrs(node, b.file).int('ceil_mode', 0) === 1);
    if (win.strides.every((s, i) => s > (win.kernel[i] - 1) * win.dilations[i])) {
      // MaxUnpool checks that output_shape covers the windows; a ceil-mode last window reaches into implicit end padding.
      const n = win.kernel.length;
      const pads = win.pads.map((p, i) => (i < n ? p : Math.max(p, (win.out[i - n] - 1) * win.strides[i - n] + win.kernel[i - n] - win.pads[i - n] - xShape[2 + i - n])));
      const attrs = { kernel_shape: attr.ints(win.kernel), strides: attr.ints(win.strides), pads: attr.ints(pads) };
      return [b.op1('MaxUnpool', [ctx.dy[0]!, node.outputs[1], b.ints(xShape)], attrs)];
    }
    const zeros = b.op1('ConstantOfShape', [b.ints([numel(xShape)])], {
      value: attr.tensor({ name: '', dataType: b.dtype, dims: [1], data: b.dtype === DataType.DOUBLE ? new Float64Array(1) : new Float32Array(1) }),
    });
    const flat = (v: string): string => b.op1('Reshape', [v, b.ints([-1])]);
    const scattered = b.op1('ScatterElements', [zeros, flat(node.outputs[1]), flat(ctx.dy[0]!)], { axis: attr.int(0), reduction: attr.string('add') });
    return [b.op1('Reshape', [scattered, b.ints(xShape)])];
  },
};

/** MaxUnpool with an explicit output_shape. */
export const MaxUnpool = forwardOnly('MaxUnpool', [3, 3], ['kernel_shape', 'pads', 'strides'], (node, b) => [
  { shape: constInts(b, node, 2, 'output_shape'), type: b.meta(node.inputs[0]).type },
]);

export const ScatterElements = forwardOnly('ScatterElements', [3, 3], ['axis', 'reduction'], (node, b) => [sameAs(b.meta(node.inputs[0]))]);
