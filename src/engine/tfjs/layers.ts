/**
 * One conversion rule per supported Keras layer class: config + weights + input values → ONNX nodes
 * (opset 13 semantics). Weights keep their TF.js names as initializer names, so saving can map them back;
 * Conv2D kernels are stored in ONNX layout (see weights.ts). Dropout stays a Dropout node: the identity at
 * inference, active when Lethe trains the model.
 */
import { DataType, type AttrValue } from '../graph/ir';
import type { GraphBuilder, Value } from './builder';
import type { LayerSpec } from './format';
import { convKernelToOnnx, type WeightValue } from './weights';

export interface LayerContext {
  builder: GraphBuilder;
  layer: LayerSpec;
  /** The layer's weight `${layer.name}/${param}`, or a LetheError naming it. */
  weight(param: string): WeightValue;
  fail(message: string): never;
}

type LayerRule = (ctx: LayerContext, inputs: Value[]) => Value;

const ints = (value: number[]): AttrValue => ({ type: 'ints', value });
const int = (value: number): AttrValue => ({ type: 'int', value });

export function convertLayer(ctx: LayerContext, inputs: Value[]): Value {
  const rule = RULES[ctx.layer.className];
  if (!rule) ctx.fail(`unsupported layer class "${ctx.layer.className}" (supported: ${Object.keys(RULES).join(', ')})`);
  if (!MERGE_CLASSES.has(ctx.layer.className) && inputs.length !== 1) ctx.fail(`expects one input, got ${inputs.length}`);
  return rule(ctx, inputs);
}

/** Layers that take several inputs; every other rule takes exactly one. */
const MERGE_CLASSES = new Set(['Add', 'Concatenate']);

/** Class names whose kernel weight is stored transposed in the IR (used by save to undo it). */
export const CONV_KERNEL_CLASSES = new Set(['Conv2D']);

const RULES: Record<string, LayerRule> = {
  Dense(ctx, [x]) {
    const units = positiveInt(ctx, 'units');
    const kernel = ctx.weight('kernel');
    const inFeatures = x.shape[x.shape.length - 1];
    expectDims(ctx, 'kernel', kernel, [inFeatures, units]);
    const bias = useBias(ctx) ? ctx.builder.initializer(weightName(ctx, 'bias'), expectDims(ctx, 'bias', ctx.weight('bias'), [units])) : undefined;
    const k = ctx.builder.initializer(weightName(ctx, 'kernel'), kernel);
    const shape = [...x.shape.slice(0, -1), units];
    let out: string;
    if (x.shape.length === 2) {
      out = ctx.builder.node('Gemm', bias ? [x.name, k, bias] : [x.name, k], {}, ctx.layer.name);
    } else {
      // Dense on a higher-rank tensor acts on the last (channel) axis: MatMul + Add, as PyTorch exports Linear.
      const last = ctx.builder.channelsLast(x);
      out = ctx.builder.node('MatMul', [last.name, k], {}, ctx.layer.name);
      if (bias) out = ctx.builder.node('Add', [out, bias], {}, ctx.layer.name);
    }
    return activation(ctx, { name: out, shape, channelsFirst: false, probabilities: false });
  },

  Conv2D(ctx, [x]) {
    requireRank(ctx, x, 4);
    channelsLastFormat(ctx);
    const filters = positiveInt(ctx, 'filters');
    const [kh, kw] = pair(ctx, 'kernel_size', undefined);
    const strides = pair(ctx, 'strides', 1);
    const dilations = pair(ctx, 'dilation_rate', 1);
    if ((ctx.layer.config.groups ?? 1) !== 1) ctx.fail(`groups = ${String(ctx.layer.config.groups)} is not supported`);
    const kernel = expectDims(ctx, 'kernel', ctx.weight('kernel'), [kh, kw, x.shape[3], filters]);
    const w = ctx.builder.initializer(weightName(ctx, 'kernel'), convKernelToOnnx(kernel));
    const inputs = [ctx.builder.channelsFirst(x).name, w];
    if (useBias(ctx)) inputs.push(ctx.builder.initializer(weightName(ctx, 'bias'), expectDims(ctx, 'bias', ctx.weight('bias'), [filters])));
    const spatial = spatialWindow(ctx, x, [kh, kw], strides, dilations);
    const out = ctx.builder.node('Conv', inputs, { kernel_shape: ints([kh, kw]), strides: ints(strides), dilations: ints(dilations), group: int(1), ...spatial.attrs }, ctx.layer.name);
    return activation(ctx, { name: out, shape: [x.shape[0], ...spatial.outSize, filters], channelsFirst: true, probabilities: false });
  },

  MaxPooling2D: (ctx, [x]) => pool(ctx, x, 'MaxPool'),
  // TF averages over the window without the padding, as ONNX's count_include_pad = 0 (the default).
  AveragePooling2D: (ctx, [x]) => pool(ctx, x, 'AveragePool'),

  GlobalAveragePooling2D(ctx, [x]) {
    requireRank(ctx, x, 4);
    channelsLastFormat(ctx);
    if (ctx.layer.config.keepdims === true) ctx.fail('keepdims = true is not supported');
    const pooled = ctx.builder.node('GlobalAveragePool', [ctx.builder.channelsFirst(x).name], {}, ctx.layer.name);
    const out = ctx.builder.node('Flatten', [pooled], { axis: int(1) }, ctx.layer.name);
    return { name: out, shape: [x.shape[0], x.shape[3]], channelsFirst: false, probabilities: false };
  },

  Flatten(ctx, [x]) {
    channelsLastFormat(ctx);
    if (x.shape.length === 2) return x;
    // Flatten must see TF's element order (h, w, c), so undo an NCHW layout first.
    const last = ctx.builder.channelsLast(x);
    const rest = x.shape.slice(1);
    const size = rest.every((d) => d !== null) ? (rest as number[]).reduce((a, b) => a * b, 1) : null;
    const out = ctx.builder.node('Flatten', [last.name], { axis: int(1) }, ctx.layer.name);
    return { name: out, shape: [x.shape[0], size], channelsFirst: false, probabilities: false };
  },

  Dropout(ctx, [x]) {
    const rate = num(ctx, 'rate', 0);
    if (rate < 0 || rate >= 1) ctx.fail(`rate = ${rate} is outside [0, 1)`);
    if ((ctx.layer.config.noise_shape ?? null) !== null) ctx.fail('noise_shape is not supported');
    const ratio = ctx.builder.constant(`${ctx.layer.name}/ratio`, DataType.FLOAT, [], Float32Array.of(rate));
    return { ...x, name: ctx.builder.node('Dropout', [x.name, ratio], {}, ctx.layer.name) };
  },

  Activation: (ctx, [x]) => activation(ctx, x),

  // Keras ReLU: max_value caps it (ReLU6), negative_slope makes it leaky; not both, and no threshold.
  ReLU(ctx, [x]) {
    const c = ctx.layer.config;
    const max = c.max_value ?? null;
    const slope = c.negative_slope ?? 0;
    if ((c.threshold ?? 0) !== 0 || (max !== null && slope !== 0) || (max !== null && typeof max !== 'number') || typeof slope !== 'number') {
      ctx.fail('only ReLU with either max_value or negative_slope (and threshold 0) is supported');
    }
    if (max !== null) return clip(ctx, x, 0, max as number);
    if (slope !== 0) return leakyRelu(ctx, x, slope as number);
    return elementwise(ctx, x, 'Relu');
  },

  LeakyReLU: (ctx, [x]) => leakyRelu(ctx, x, num(ctx, 'alpha', 0.3)),

  Softmax(ctx, [x]) {
    const axis = ctx.layer.config.axis ?? -1;
    if (axis !== -1 && axis !== x.shape.length - 1) ctx.fail(`axis ${JSON.stringify(axis)} is not supported; only the last axis is`);
    return softmax(ctx, x);
  },

  ZeroPadding2D(ctx, [x]) {
    requireRank(ctx, x, 4);
    channelsLastFormat(ctx);
    const p = ctx.layer.config.padding ?? 1;
    // Keras: n, [h, w] or [[top, bottom], [left, right]].
    const sides = typeof p === 'number' ? [[p, p], [p, p]] : Array.isArray(p) && p.every((v) => typeof v === 'number') ? p.map((v) => [v, v]) : p;
    if (!Array.isArray(sides) || sides.length !== 2 || !sides.every((s) => Array.isArray(s) && s.length === 2 && s.every((v) => Number.isInteger(v) && v >= 0))) {
      ctx.fail(`padding ${JSON.stringify(p)} is not n, [h, w] or [[top, bottom], [left, right]] of non-negative integers`);
    }
    const [[top, bottom], [left, right]] = sides as number[][];
    const input = ctx.builder.channelsFirst(x);
    const pads = ctx.builder.constant(`${ctx.layer.name}/pads`, DataType.INT64, [8], BigInt64Array.from([0, 0, top, left, 0, 0, bottom, right].map(BigInt)));
    const out = ctx.builder.node('Pad', [input.name, pads], { mode: { type: 'string', value: 'constant' } }, ctx.layer.name);
    const grow = (d: number | null, by: number): number | null => (d === null ? null : d + by);
    return { ...input, name: out, shape: [x.shape[0], grow(x.shape[1], top + bottom), grow(x.shape[2], left + right), x.shape[3]], probabilities: false };
  },

  BatchNormalization(ctx, [x]) {
    const rank = x.shape.length;
    if (rank !== 2 && rank !== 4) ctx.fail(`input of rank ${rank} is not supported (rank 2 or 4 only)`);
    const axisConfig = ctx.layer.config.axis ?? -1;
    const axis = Array.isArray(axisConfig) && axisConfig.length === 1 ? axisConfig[0] : axisConfig;
    if (axis !== -1 && axis !== rank - 1) ctx.fail(`axis ${JSON.stringify(axisConfig)} is not supported; only the channel (last) axis is`);
    if (ctx.layer.config.center === false || ctx.layer.config.scale === false) ctx.fail('center = false or scale = false is not supported');
    const channels = x.shape[rank - 1];
    const param = (p: string): string => ctx.builder.initializer(weightName(ctx, p), expectDims(ctx, p, ctx.weight(p), [channels]));
    const input = ctx.builder.channelsFirst(x);
    const out = ctx.builder.node(
      'BatchNormalization',
      [input.name, param('gamma'), param('beta'), param('moving_mean'), param('moving_variance')],
      // Keras and ONNX define momentum the same way: running = momentum·running + (1 − momentum)·batch.
      { epsilon: { type: 'float', value: num(ctx, 'epsilon', 1e-3) }, momentum: { type: 'float', value: num(ctx, 'momentum', 0.99) } },
      ctx.layer.name,
    );
    return { ...input, name: out, probabilities: false };
  },

  Add(ctx, inputs) {
    if (inputs.length < 2) ctx.fail('needs at least two inputs');
    const same = sameLayout(ctx, inputs);
    for (const v of same) {
      if (v.shape.length !== same[0].shape.length || v.shape.some((d, i) => d !== null && same[0].shape[i] !== null && d !== same[0].shape[i])) {
        ctx.fail(`input shapes ${inputs.map((i) => JSON.stringify(i.shape)).join(' and ')} differ`);
      }
    }
    let sum = same[0].name;
    for (const v of same.slice(1)) sum = ctx.builder.node('Add', [sum, v.name], {}, ctx.layer.name);
    return { ...same[0], name: sum, probabilities: false };
  },

  Concatenate(ctx, inputs) {
    if (inputs.length < 2) ctx.fail('needs at least two inputs');
    const rank = inputs[0].shape.length;
    const axisConfig = ctx.layer.config.axis ?? -1;
    if (typeof axisConfig !== 'number' || !Number.isInteger(axisConfig) || axisConfig < -rank || axisConfig >= rank || axisConfig === 0 || axisConfig === -rank) {
      ctx.fail(`axis ${JSON.stringify(axisConfig)} is not a non-batch axis of a rank-${rank} tensor`);
    }
    const axis = ((axisConfig as number) + rank) % rank;
    const same = sameLayout(ctx, inputs);
    if (same.some((v) => v.shape.length !== rank)) ctx.fail('inputs have different ranks');
    const physicalAxis = same[0].channelsFirst ? [0, 2, 3, 1][axis] : axis;
    const out = ctx.builder.node('Concat', same.map((v) => v.name), { axis: int(physicalAxis) }, ctx.layer.name);
    const sizes = same.map((v) => v.shape[axis]);
    const shape = [...same[0].shape];
    shape[axis] = sizes.every((d) => d !== null) ? (sizes as number[]).reduce((a, b) => a + b, 0) : null;
    return { ...same[0], name: out, shape, probabilities: false };
  },
};

function pool(ctx: LayerContext, x: Value, opType: 'MaxPool' | 'AveragePool'): Value {
  requireRank(ctx, x, 4);
  channelsLastFormat(ctx);
  const size = pair(ctx, 'pool_size', 2);
  const strides = ctx.layer.config.strides == null ? size : pair(ctx, 'strides', undefined);
  const spatial = spatialWindow(ctx, x, size, strides, [1, 1]);
  const out = ctx.builder.node(opType, [ctx.builder.channelsFirst(x).name], { kernel_shape: ints(size), strides: ints(strides), ...spatial.attrs }, ctx.layer.name);
  return { name: out, shape: [x.shape[0], ...spatial.outSize, x.shape[3]], channelsFirst: true, probabilities: false };
}

/**
 * Output sizes and ONNX padding for a sliding window. TF's "same" pads (effective kernel − stride)
 * in total, the odd one at the end: explicit pads when the input size is known, else SAME_UPPER (equal).
 */
function spatialWindow(ctx: LayerContext, x: Value, kernel: number[], strides: number[], dilations: number[]): { outSize: (number | null)[]; attrs: Record<string, AttrValue> } {
  const padding = ctx.layer.config.padding ?? 'valid';
  if (padding !== 'valid' && padding !== 'same') ctx.fail(`padding "${String(padding)}" is not supported (valid or same)`);
  const inSize = [x.shape[1], x.shape[2]];
  const effective = kernel.map((k, i) => (k - 1) * dilations[i] + 1);
  const outSize = inSize.map((n, i) => (n === null ? null : padding === 'same' ? Math.ceil(n / strides[i]) : Math.floor((n - effective[i]) / strides[i]) + 1));
  outSize.forEach((n) => {
    if (n !== null && n < 1) ctx.fail(`the window does not fit the ${inSize.join('×')} input`);
  });
  if (padding === 'valid') return { outSize, attrs: {} };
  if (inSize.some((n) => n === null)) return { outSize, attrs: { auto_pad: { type: 'string', value: 'SAME_UPPER' } } };
  const total = inSize.map((n, i) => Math.max(((outSize[i] as number) - 1) * strides[i] + effective[i] - (n as number), 0));
  const before = total.map((t) => Math.floor(t / 2));
  return { outSize, attrs: { pads: ints([...before, ...total.map((t, i) => t - before[i])]) } };
}

function activation(ctx: LayerContext, x: Value): Value {
  const name = ctx.layer.config.activation ?? 'linear';
  switch (name) {
    case 'linear':
      return x;
    case 'relu':
      return elementwise(ctx, x, 'Relu');
    case 'sigmoid':
      return elementwise(ctx, x, 'Sigmoid');
    case 'tanh':
      return elementwise(ctx, x, 'Tanh');
    case 'relu6':
      return clip(ctx, x, 0, 6);
    case 'softmax':
      return softmax(ctx, x);
    default:
      return ctx.fail(`activation ${JSON.stringify(name)} is not supported (linear, relu, relu6, sigmoid, tanh, softmax)`);
  }
}

/** Softmax over TF's last axis, which is axis 1 when the tensor is held NCHW. */
function softmax(ctx: LayerContext, x: Value): Value {
  const out = ctx.builder.node('Softmax', [x.name], { axis: int(x.channelsFirst ? 1 : -1) }, ctx.layer.name);
  return { ...x, name: out, probabilities: true };
}

function clip(ctx: LayerContext, x: Value, min: number, max: number): Value {
  const bound = (which: string, v: number): string => ctx.builder.constant(`${ctx.layer.name}/clip_${which}`, DataType.FLOAT, [], Float32Array.of(v));
  return { ...x, name: ctx.builder.node('Clip', [x.name, bound('min', min), bound('max', max)], {}, ctx.layer.name), probabilities: false };
}

function leakyRelu(ctx: LayerContext, x: Value, alpha: number): Value {
  return { ...x, name: ctx.builder.node('LeakyRelu', [x.name], { alpha: { type: 'float', value: alpha } }, ctx.layer.name), probabilities: false };
}

function elementwise(ctx: LayerContext, x: Value, opType: string): Value {
  return { ...x, name: ctx.builder.node(opType, [x.name], {}, ctx.layer.name), probabilities: false };
}

/** Inputs brought to one layout: NCHW if any rank-4 input already is, else TF's. */
function sameLayout(ctx: LayerContext, inputs: Value[]): Value[] {
  return inputs.some((v) => v.channelsFirst) ? inputs.map((v) => ctx.builder.channelsFirst(v)) : inputs;
}

function weightName(ctx: LayerContext, param: string): string {
  return `${ctx.layer.name}/${param}`;
}

function expectDims(ctx: LayerContext, param: string, w: WeightValue, expected: (number | null)[]): WeightValue {
  if (w.dims.length !== expected.length || expected.some((d, i) => d !== null && d !== w.dims[i])) {
    ctx.fail(`weight "${weightName(ctx, param)}" has shape [${w.dims.join(', ')}], expected [${expected.map((d) => d ?? '?').join(', ')}]`);
  }
  return w;
}

function requireRank(ctx: LayerContext, x: Value, rank: number): void {
  if (x.shape.length !== rank) ctx.fail(`expects a rank-${rank} input, got shape ${JSON.stringify(x.shape)}`);
}

function channelsLastFormat(ctx: LayerContext): void {
  const format = ctx.layer.config.data_format ?? 'channels_last';
  if (format !== 'channels_last') ctx.fail(`data_format "${String(format)}" is not supported (channels_last only)`);
}

function useBias(ctx: LayerContext): boolean {
  return ctx.layer.config.use_bias !== false;
}

function positiveInt(ctx: LayerContext, key: string): number {
  const v = ctx.layer.config[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) ctx.fail(`${key} = ${JSON.stringify(v)} is not a positive integer`);
  return v as number;
}

function num(ctx: LayerContext, key: string, fallback: number): number {
  const v = ctx.layer.config[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v)) ctx.fail(`${key} = ${JSON.stringify(v)} is not a number`);
  return v as number;
}

/** A Keras size pair: a number n means [n, n]. */
function pair(ctx: LayerContext, key: string, fallback: number | undefined): [number, number] {
  const v = ctx.layer.config[key] ?? fallback;
  const p = typeof v === 'number' ? [v, v] : v;
  if (!Array.isArray(p) || p.length !== 2 || !p.every((n) => Number.isInteger(n) && n >= 1)) {
    return ctx.fail(`${key} = ${JSON.stringify(v)} is not a positive integer or a pair of them`);
  }
  return [p[0], p[1]];
}

