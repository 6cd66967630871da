/**
 * The gradient-check cases, one or more per op with a gradient rule or a lowering: ops.test.ts runs them,
 * gradCoverage.test.ts checks that every such op in the registry has one.
 */
import * as tf from '@tensorflow/tfjs';
import { DataType, type AttrValue } from '../../../src/engine/graph/ir';
import { randomValues, type OpCase } from './gradcheck';

const int = (value: number): AttrValue => ({ type: 'int', value });
const float = (value: number): AttrValue => ({ type: 'float', value });
const ints = (value: number[]): AttrValue => ({ type: 'ints', value });
const str = (value: string): AttrValue => ({ type: 'string', value });
const p = (...shape: number[]) => ({ kind: 'param' as const, shape });
/** Values bounded away from zero (denominators, logs, square roots, variances). */
const positive = (...shape: number[]) => ({ kind: 'param' as const, shape, values: Array.from(randomValues(shape.reduce((a, d) => a * d, 1), 7), (v) => 0.5 + Math.abs(v)) });

const nhwc = (x: tf.Tensor): tf.Tensor4D => tf.transpose(x, [0, 2, 3, 1]) as tf.Tensor4D;
const nchw = (x: tf.Tensor): tf.Tensor => tf.transpose(x, [0, 3, 1, 2]);
const perChannel = (v: tf.Tensor): tf.Tensor => tf.reshape(v, [1, -1, 1, 1]);
function tfConv(x: tf.Tensor, w: tf.Tensor, bias: tf.Tensor | undefined, strides: [number, number], pads: number[]): tf.Tensor {
  const [pt, pl, pb, pr] = pads;
  const y = nchw(tf.conv2d(nhwc(x), tf.transpose(w, [2, 3, 1, 0]) as tf.Tensor4D, strides, [[0, 0], [pt, pb], [pl, pr], [0, 0]]));
  return bias ? tf.add(y, perChannel(bias)) : y;
}
/** A [O, C, kh, kw] kernel with (d − 1) zeros between taps: a dilated convolution as a plain one. */
function dilateKernel(w: tf.Tensor, dh: number, dw = dh): tf.Tensor {
  const [o, c, kh, kw] = w.shape;
  const spread = tf.pad(tf.reshape(w, [o, c, kh, 1, kw, 1]), [[0, 0], [0, 0], [0, 0], [0, dh - 1], [0, 0], [0, dw - 1]]);
  return tf.slice(tf.reshape(spread, [o, c, kh * dh, kw * dw]), [0, 0, 0, 0], [o, c, (kh - 1) * dh + 1, (kw - 1) * dw + 1]);
}
const padSpatial = (x: tf.Tensor, pad: number, value: number): tf.Tensor => tf.pad(x, [[0, 0], [0, 0], [pad, pad], [pad, pad]], value);
const gelu = (x: tf.Tensor): tf.Tensor => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2))));
const geluTanh = (x: tf.Tensor): tf.Tensor =>
  tf.mul(tf.mul(x, 0.5), tf.add(1, tf.tanh(tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.pow(x, 3)))))));
const moments = (x: tf.Tensor, axes: number[]) => tf.moments(x, axes, true);

export const OP_CASES: Record<string, OpCase> = {
  'Gemm transB, vector bias': { op: 'Gemm', attrs: { alpha: float(0.7), beta: float(1.3), transB: int(1) }, inputs: [p(3, 4), p(5, 4), p(5)], tf: (a, b, c) => tf.add(tf.mul(tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D, false, true), 0.7), tf.mul(c, 1.3)) },
  'Gemm transA, column bias': { op: 'Gemm', attrs: { transA: int(1) }, inputs: [p(4, 3), p(4, 5), p(3, 1)], tf: (a, b, c) => tf.add(tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D, true, false), c) },
  'Gemm transA transB, no bias': { op: 'Gemm', attrs: { transA: int(1), transB: int(1), alpha: float(2) }, inputs: [p(4, 3), p(5, 4)], tf: (a, b) => tf.mul(tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D, true, true), 2) },
  'MatMul broadcast batch': { op: 'MatMul', inputs: [p(2, 3, 4), p(1, 4, 5)], tf: (a, b) => tf.matMul(a as tf.Tensor3D, tf.tile(b, [2, 1, 1]) as tf.Tensor3D) },
  'Add broadcast': { op: 'Add', inputs: [p(2, 3, 4), p(3, 1)], tf: (a, b) => tf.add(a, b) },
  'Sub broadcast': { op: 'Sub', inputs: [p(2, 3), p(3)], tf: (a, b) => tf.sub(a, b) },
  'Mul broadcast both': { op: 'Mul', inputs: [p(2, 1, 4), p(3, 1)], tf: (a, b) => tf.mul(a, b) },
  'Sum of three, broadcast': { op: 'Sum', inputs: [p(2, 3), p(3), p(2, 1)], tf: (a, b, c) => tf.add(tf.add(a, b), c) },
  'Cast between float types': { op: 'Cast', attrs: { to: int(DataType.DOUBLE) }, inputs: [p(3, 4)], tf: (x) => tf.mul(x, 1) },
  'Div broadcast': { op: 'Div', inputs: [p(2, 3), positive(3)], tf: (a, b) => tf.div(a, b) },
  Relu: { op: 'Relu', inputs: [p(3, 5)], tf: (x) => tf.relu(x) },
  LeakyRelu: { op: 'LeakyRelu', attrs: { alpha: float(0.2) }, inputs: [p(3, 5)], tf: (x) => tf.leakyRelu(x, 0.2) },
  Sigmoid: { op: 'Sigmoid', inputs: [p(3, 5)], tf: (x) => tf.sigmoid(x) },
  Tanh: { op: 'Tanh', inputs: [p(3, 5)], tf: (x) => tf.tanh(x) },
  'Softmax last axis': { op: 'Softmax', inputs: [p(3, 5)], tf: (x) => tf.softmax(x) },
  'Softmax axis 1': { op: 'Softmax', attrs: { axis: int(1) }, inputs: [p(2, 4, 3)], tf: (x) => tf.transpose(tf.softmax(tf.transpose(x, [0, 2, 1])), [0, 2, 1]) },
  LogSoftmax: { op: 'LogSoftmax', attrs: { axis: int(1) }, inputs: [p(3, 5)], tf: (x) => tf.logSoftmax(x) },
  Erf: { op: 'Erf', inputs: [p(3, 5)], tf: (x) => tf.erf(x) },
  'Gelu exact': { op: 'Gelu', inputs: [p(3, 5)], tf: gelu },
  'Gelu tanh': { op: 'Gelu', attrs: { approximate: str('tanh') }, inputs: [p(3, 5)], tf: geluTanh },
  Exp: { op: 'Exp', inputs: [p(3, 4)], tf: (x) => tf.exp(x) },
  Log: { op: 'Log', inputs: [positive(3, 4)], tf: (x) => tf.log(x) },
  Sqrt: { op: 'Sqrt', inputs: [positive(3, 4)], tf: (x) => tf.sqrt(x) },
  Reciprocal: { op: 'Reciprocal', inputs: [positive(3, 4)], tf: (x) => tf.reciprocal(x) },
  'Pow, both differentiated': { op: 'Pow', inputs: [positive(3, 4), p(3, 4)], tf: (x, e) => tf.pow(x, e) },
  'Pow by constant 2': { op: 'Pow', inputs: [p(3, 4), { kind: 'floatConst', shape: [], values: [2] }], tf: (x) => tf.square(x) },
  Abs: { op: 'Abs', inputs: [p(3, 4)], tf: (x) => tf.abs(x) },
  Neg: { op: 'Neg', inputs: [p(3, 4)], tf: (x) => tf.neg(x) },
  Identity: { op: 'Identity', inputs: [p(3, 4)], tf: (x) => tf.mul(x, 1) },
  'Gather axis 1, constant indices with a repeat and a negative': { op: 'Gather', attrs: { axis: int(1) }, inputs: [p(2, 5, 3), { kind: 'ints', values: [0, -1, 0] }], tf: (x) => tf.gather(x, [0, 4, 0], 1) },
  'Gather a scalar index (x[:, 2])': { op: 'Gather', attrs: { axis: int(1) }, inputs: [p(3, 4, 2), { kind: 'constantNode', shape: [], values: [2], int64: true }], tf: (x) => tf.squeeze(tf.gather(x, [2], 1), [1]) },
  'Constant node as an operand': { op: 'Mul', inputs: [p(3, 4), { kind: 'constantNode', shape: [4], values: [0.5, -2, 3, 0.25] }], tf: (x) => tf.mul(x, tf.tensor1d([0.5, -2, 3, 0.25])) },
  'Constant node as a shape': { op: 'Reshape', inputs: [p(2, 6), { kind: 'constantNode', shape: [3], values: [3, 2, 2], int64: true }], tf: (x) => tf.reshape(x, [3, 2, 2]) },
  'Clip constant bounds': {
    op: 'Clip',
    inputs: [{ kind: 'param', shape: [12], values: [-2.1, -1.4, -0.9, -0.3, 0.2, 0.4, 0.55, 0.8, 1.1, 1.7, -0.6, 0.05] }, { kind: 'floatConst', shape: [], values: [-1] }, { kind: 'floatConst', shape: [], values: [0.5] }],
    tf: (x) => tf.clipByValue(x, -1, 0.5),
  },
  'Conv pads 1': { op: 'Conv', attrs: { kernel_shape: ints([3, 3]), pads: ints([1, 1, 1, 1]) }, inputs: [p(2, 3, 5, 5), p(4, 3, 3, 3), p(4)], tf: (x, w, b) => tfConv(x, w, b, [1, 1], [1, 1, 1, 1]) },
  'Conv stride 2, asymmetric pads, no bias': { op: 'Conv', attrs: { strides: ints([2, 2]), pads: ints([1, 0, 0, 1]) }, inputs: [p(2, 2, 6, 5), p(3, 2, 3, 2)], tf: (x, w) => tfConv(x, w, undefined, [2, 2], [1, 0, 0, 1]) },
  'Conv stride 1, asymmetric pads (input gradient as a flipped Conv)': { op: 'Conv', attrs: { pads: ints([2, 0, 1, 1]) }, inputs: [p(2, 2, 5, 6), p(3, 2, 3, 2), p(3)], tf: (x, w, b) => tfConv(x, w, b, [1, 1], [2, 0, 1, 1]) },
  'Conv 1×1 with pads beyond the kernel (input gradient as ConvTranspose)': { op: 'Conv', attrs: { pads: ints([1, 1, 1, 1]) }, inputs: [p(2, 3, 3, 3), p(2, 3, 1, 1)], tf: (x, w) => tfConv(x, w, undefined, [1, 1], [1, 1, 1, 1]) },
  'Conv 1×1': { op: 'Conv', inputs: [p(2, 3, 4, 4), p(5, 3, 1, 1), p(5)], tf: (x, w, b) => tfConv(x, w, b, [1, 1], [0, 0, 0, 0]) },
  // TF.js has no gradient for dilated convolutions: its formulation convolves with the zero-dilated kernel instead.
  'Conv dilation 2': { op: 'Conv', attrs: { dilations: ints([2, 2]), pads: ints([2, 2, 2, 2]) }, inputs: [p(1, 2, 6, 6), p(3, 2, 3, 3), p(3)], tf: (x, w, b) => tfConv(x, dilateKernel(w, 2), b, [1, 1], [2, 2, 2, 2]) },
  'Conv dilations 2×3, stride 2': { op: 'Conv', attrs: { dilations: ints([2, 3]), strides: ints([2, 2]), pads: ints([1, 2, 0, 1]) }, inputs: [p(2, 2, 7, 8), p(2, 2, 2, 3)], tf: (x, w) => tfConv(x, dilateKernel(w, 2, 3), undefined, [2, 2], [1, 2, 0, 1]) },
  'Conv auto_pad SAME_UPPER stride 2': { op: 'Conv', attrs: { auto_pad: str('SAME_UPPER'), strides: ints([2, 2]) }, inputs: [p(1, 2, 6, 6), p(2, 2, 3, 3)], tf: (x, w) => nchw(tf.conv2d(nhwc(x), tf.transpose(w, [2, 3, 1, 0]) as tf.Tensor4D, 2, 'same')) },
  'Conv 1-d (lowered to 2-d)': {
    op: 'Conv',
    attrs: { pads: ints([1, 1]), strides: ints([2]) },
    inputs: [p(2, 3, 7), p(4, 3, 3), p(4)],
    tf: (x, w, b) => tf.add(tf.transpose(tf.conv1d(tf.pad(tf.transpose(x, [0, 2, 1]), [[0, 0], [1, 1], [0, 0]]) as tf.Tensor3D, tf.transpose(w, [2, 1, 0]) as tf.Tensor3D, 2, 'valid'), [0, 2, 1]), tf.reshape(b, [1, -1, 1])),
  },
  'MaxPool 1-d': { op: 'MaxPool', attrs: { kernel_shape: ints([2]), strides: ints([2]) }, inputs: [p(2, 3, 6)], tf: (x) => tf.transpose(tf.squeeze(tf.maxPool(tf.reshape(tf.transpose(x, [0, 2, 1]), [2, 1, 6, 3]) as tf.Tensor4D, [1, 2], [1, 2], 'valid'), [1]), [0, 2, 1]) },
  'AveragePool 1-d, pads not counted': { op: 'AveragePool', attrs: { kernel_shape: ints([3]), pads: ints([1, 1]) }, inputs: [p(2, 2, 5)] },
  'MaxPool 2×2 stride 2': { op: 'MaxPool', attrs: { kernel_shape: ints([2, 2]), strides: ints([2, 2]) }, inputs: [p(2, 3, 6, 6)], tf: (x) => nchw(tf.maxPool(nhwc(x), 2, 2, 'valid')) },
  'MaxPool overlapping 3×3 stride 1 pads 1': { op: 'MaxPool', attrs: { kernel_shape: ints([3, 3]), pads: ints([1, 1, 1, 1]) }, inputs: [p(1, 2, 5, 5)], tf: (x) => nchw(tf.maxPool(nhwc(padSpatial(x, 1, -1e9)), 3, 1, 'valid')) },
  'MaxPool 2×2 stride 3 pads 1 (gaps between windows)': { op: 'MaxPool', attrs: { kernel_shape: ints([2, 2]), strides: ints([3, 3]), pads: ints([1, 1, 1, 1]) }, inputs: [p(2, 2, 7, 7)], tf: (x) => nchw(tf.maxPool(nhwc(padSpatial(x, 1, -1e9)), 2, 3, 'valid')) },
  'MaxPool ceil mode': { op: 'MaxPool', attrs: { kernel_shape: ints([2, 2]), strides: ints([2, 2]), ceil_mode: int(1) }, inputs: [p(1, 2, 5, 5)], tf: (x) => nchw(tf.maxPool(nhwc(padSpatial(tf.pad(x, [[0, 0], [0, 0], [0, 1], [0, 1]], -1e9), 0, 0)), 2, 2, 'valid')) },
  'AveragePool 2×2 stride 2': { op: 'AveragePool', attrs: { kernel_shape: ints([2, 2]), strides: ints([2, 2]) }, inputs: [p(2, 3, 6, 6)], tf: (x) => nchw(tf.avgPool(nhwc(x), 2, 2, 'valid')) },
  'AveragePool pads counted': { op: 'AveragePool', attrs: { kernel_shape: ints([3, 3]), pads: ints([1, 1, 1, 1]), count_include_pad: int(1) }, inputs: [p(1, 2, 5, 5)], tf: (x) => nchw(tf.avgPool(nhwc(padSpatial(x, 1, 0)), 3, 1, 'valid')) },
  'AveragePool pads not counted, stride 2': { op: 'AveragePool', attrs: { kernel_shape: ints([3, 3]), strides: ints([2, 2]), pads: ints([1, 1, 1, 1]) }, inputs: [p(1, 2, 5, 6)] },
  GlobalAveragePool: { op: 'GlobalAveragePool', inputs: [p(2, 3, 4, 5)], tf: (x) => tf.mean(x, [2, 3], true) },
  'BatchNormalization eval (all inputs)': {
    op: 'BatchNormalization',
    attrs: { epsilon: float(1e-3) },
    inputs: [p(2, 3, 2, 2), p(3), p(3), p(3), positive(3)],
    tf: (x, s, b, m, v) => tf.add(tf.mul(tf.div(tf.sub(x, perChannel(m)), tf.sqrt(tf.add(perChannel(v), 1e-3))), perChannel(s)), perChannel(b)),
  },
  'BatchNormalization train (batch statistics)': {
    op: 'BatchNormalization',
    train: true,
    attrs: { epsilon: float(1e-5), momentum: float(0.9) },
    inputs: [p(3, 2, 2, 3), p(2), p(2), { kind: 'input', shape: [2] }, { kind: 'input', shape: [2], values: [1, 2] }],
    tf: (x, s, b) => {
      const { mean, variance } = moments(x, [0, 2, 3]);
      return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5))), perChannel(s)), perChannel(b));
    },
  },
  'LayerNormalization axis 1': {
    op: 'LayerNormalization',
    attrs: { axis: int(1), epsilon: float(1e-5) },
    inputs: [p(2, 3, 4), p(3, 4), p(3, 4)],
    tf: (x, s, b) => {
      const { mean, variance } = moments(x, [1, 2]);
      return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5))), s), b);
    },
  },
  'LayerNormalization no bias': { op: 'LayerNormalization', inputs: [p(3, 5), p(5)], tf: (x, s) => { const { mean, variance } = moments(x, [1]); return tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5))), s); } },
  Flatten: { op: 'Flatten', attrs: { axis: int(2) }, inputs: [p(2, 3, 2, 2)], tf: (x) => tf.reshape(x, [6, 4]) },
  'Reshape with 0 and -1': { op: 'Reshape', inputs: [p(2, 3, 4), { kind: 'ints', values: [0, -1, 2] }], tf: (x) => tf.reshape(x, [2, 6, 2]) },
  Transpose: { op: 'Transpose', attrs: { perm: ints([2, 0, 1]) }, inputs: [p(2, 3, 4)], tf: (x) => tf.transpose(x, [2, 0, 1]) },
  'Concat axis 1': { op: 'Concat', attrs: { axis: int(1) }, inputs: [p(2, 2, 3), p(2, 1, 3), p(2, 3, 3)], tf: (a, b, c) => tf.concat([a, b, c], 1) },
  Squeeze: { op: 'Squeeze', inputs: [p(2, 1, 3), { kind: 'ints', values: [1] }], tf: (x) => tf.squeeze(x, [1]) },
  Unsqueeze: { op: 'Unsqueeze', inputs: [p(2, 3), { kind: 'ints', values: [0, -1] }], tf: (x) => tf.reshape(x, [1, 2, 3, 1]) },
  'Pad constant': { op: 'Pad', inputs: [p(2, 3), { kind: 'ints', values: [1, 0, 2, 3] }], tf: (x) => tf.pad(x, [[1, 2], [0, 3]]) },
  'ReduceSum axis 1': { op: 'ReduceSum', attrs: { keepdims: int(0) }, inputs: [p(2, 3, 4), { kind: 'ints', values: [1] }], tf: (x) => tf.sum(x, 1) },
  'ReduceMean all, opset-13 axes attribute': { op: 'ReduceMean', attrs: { axes: ints([0, 2]) }, inputs: [p(2, 3, 4)], tf: (x) => tf.mean(x, [0, 2], true) },
  'Dropout eval (identity)': { op: 'Dropout', inputs: [p(3, 4)], tf: (x) => tf.mul(x, 1) },
  'Dropout train (fed mask)': {
    op: 'Dropout',
    train: true,
    inputs: [p(3, 4), { kind: 'floatConst', shape: [], values: [1 / 3] }],
    tf: (x) => tf.mul(x, tf.tensor(Array.from({ length: 12 }, (_, i) => (i % 3 === 0 ? 0 : 1.5)), [3, 4])),
  },
};

