/** Static shape rules agree with the shapes onnxruntime produces (forward-only ConvTranspose also in value), and folded shape arithmetic with its contents. */
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../../src/engine/autodiff/builder';
import { emittedModel } from '../../../src/engine/autodiff/trainingGraph';
import { DataType, numel, type AttrValue } from '../../../src/engine/graph/ir';
import { createSession } from '../../../src/engine/runtime/session';
import { randomValues } from './gradcheck';

const int = (value: number): AttrValue => ({ type: 'int', value });
const ints = (value: number[]): AttrValue => ({ type: 'ints', value });
const str = (value: string): AttrValue => ({ type: 'string', value });

interface ShapeCase {
  op: string;
  /** Float input shapes (fed), then int64 constants (null: an omitted optional input). */
  floats: number[][];
  ints?: (number[] | null)[];
  attrs?: Record<string, AttrValue>;
}

const CASES: Record<string, ShapeCase> = {
  'ConvTranspose stride 2, pads, output_padding': { op: 'ConvTranspose', floats: [[2, 3, 4, 5], [3, 2, 3, 3]], attrs: { strides: ints([2, 2]), pads: ints([1, 0, 1, 1]), output_padding: ints([1, 0]) } },
  'ConvTranspose groups and dilation': { op: 'ConvTranspose', floats: [[1, 4, 3, 3], [4, 3, 2, 2]], attrs: { group: int(2), dilations: ints([2, 1]) } },
  'ConvTranspose output_shape': { op: 'ConvTranspose', floats: [[1, 2, 3, 3], [2, 1, 3, 3]], attrs: { strides: ints([2, 2]), output_shape: ints([8, 7]) } },
  'Conv SAME_LOWER stride 3': { op: 'Conv', floats: [[1, 2, 7, 8], [3, 2, 3, 2]], attrs: { auto_pad: str('SAME_LOWER'), strides: ints([3, 3]) } },
  'Conv VALID dilation': { op: 'Conv', floats: [[1, 1, 9, 9], [2, 1, 3, 3]], attrs: { auto_pad: str('VALID'), dilations: ints([3, 2]) } },
  'MaxPool ceil mode with pads': { op: 'MaxPool', floats: [[1, 2, 7, 6]], attrs: { kernel_shape: ints([3, 3]), strides: ints([2, 2]), pads: ints([1, 1, 1, 1]), ceil_mode: int(1) } },
  'AveragePool stride 3': { op: 'AveragePool', floats: [[1, 2, 8, 7]], attrs: { kernel_shape: ints([2, 2]), strides: ints([3, 3]) } },
  'Pad with axes (opset 18)': { op: 'Pad', floats: [[2, 3, 4]], ints: [[1, 2, 3, 0], null, [2, 0]] },
  'Slice negative step': { op: 'Slice', floats: [[5, 6]], ints: [[-1, 1], [-10, 5], [0, 1], [-2, 2]] },
  'Flatten axis 0': { op: 'Flatten', floats: [[2, 3, 4]], attrs: { axis: int(0) } },
  'Expand': { op: 'Expand', floats: [[3, 1]], ints: [[2, 1, 4]] },
  'ReduceSum all, keepdims 0': { op: 'ReduceSum', floats: [[2, 3]], attrs: { keepdims: int(0) } },
};

describe('shape rules agree with onnxruntime', () => {
  it.each(Object.entries(CASES))('%s', async (_label, c) => {
    const b = new GraphBuilder('shape-test.onnx');
    const inputs = c.floats.map((s, i) => b.addInput(`x${i}`, DataType.FLOAT, s));
    const constants = (c.ints ?? []).map((v) => (v ? b.ints(v) : ''));
    b.emit(c.op, [...inputs, ...constants], ['y'], c.attrs);
    b.markOutput('y');
    const model = emittedModel({ graph: { name: '', nodes: [], inputs: [], outputs: [], initializers: new Map() }, opsets: [{ domain: '', version: 18 }], irVersion: 9, producerName: '', producerVersion: '', metadata: {} }, b, 'shapes');
    const session = await createSession(model, { threads: 1 });
    try {
      const feeds = Object.fromEntries(c.floats.map((s, i) => [`x${i}`, new ort.Tensor('float32', Float32Array.from(randomValues(numel(s), i + 1)), s)]));
      const out = await session.run(feeds);
      expect(b.shape('y')).toEqual(Array.from(out.y.dims));
      if (c.op === 'ConvTranspose' && !c.attrs?.output_shape) {
        // Forward-only ConvTranspose (decoders): the values too, against the operator's definition.
        const [x, w] = c.floats.map((_, i) => feeds[`x${i}`].data as Float32Array);
        const expected = convTransposeByDefinition(x, c.floats[0], w, c.floats[1], b.shape('y'), c.attrs ?? {});
        const got = out.y.data as Float32Array;
        expect(Math.max(...expected.map((e, i) => Math.abs(e - got[i])))).toBeLessThan(1e-5);
      }
    } finally {
      await session.release();
    }
  });
});

/** y[n, g·O/G + o, i·s + k·d − pad] += x[n, g·C/G + c, i] · w[g·C/G + c, o, k], per spatial axis (ONNX ConvTranspose). */
function convTransposeByDefinition(x: Float32Array, xs: number[], w: Float32Array, ws: number[], ys: number[], attrs: Record<string, AttrValue>): number[] {
  const get = (name: string, fallback: number[]): number[] => (attrs[name]?.value as number[] | undefined) ?? fallback;
  const [s0, s1] = get('strides', [1, 1]);
  const [d0, d1] = get('dilations', [1, 1]);
  const [pt, pl] = get('pads', [0, 0, 0, 0]);
  const group = (attrs.group?.value as number | undefined) ?? 1;
  const [n, cIn, h, wd] = xs;
  const [, oPer, kh, kw] = ws;
  const [, , oh, ow] = ys;
  const cPer = cIn / group;
  const y = new Array<number>(numel(ys)).fill(0);
  for (let b = 0; b < n; b++) for (let g = 0; g < group; g++) for (let c = 0; c < cPer; c++) for (let i = 0; i < h; i++) for (let j = 0; j < wd; j++) {
    const ci = g * cPer + c;
    const xv = x[((b * cIn + ci) * h + i) * wd + j];
    for (let o = 0; o < oPer; o++) for (let ki = 0; ki < kh; ki++) for (let kj = 0; kj < kw; kj++) {
      const r = i * s0 + ki * d0 - pt;
      const q = j * s1 + kj * d1 - pl;
      if (r < 0 || r >= oh || q < 0 || q >= ow) continue;
      y[((b * group * oPer + g * oPer + o) * oh + r) * ow + q] += xv * w[((ci * oPer + o) * kh + ki) * kw + kj];
    }
  }
  return y;
}

/** Integer shape arithmetic with every input constant: the contents Lethe folds at build time (ops/fold.ts). */
interface FoldCase {
  op: string;
  /** Int64 constants with their shapes (float32 with `floats`). */
  inputs: { values: (number | bigint)[]; dims: number[] }[];
  floats?: boolean;
  attrs?: Record<string, AttrValue>;
  /** A boolean condition built from the first two inputs with Equal (for Where). */
  condition?: boolean;
}

const v = (values: (number | bigint)[], dims = [values.length]): { values: (number | bigint)[]; dims: number[] } => ({ values, dims });
const INT64_MAX = 2n ** 63n - 1n;

const FOLD_CASES: Record<string, FoldCase> = {
  'Add broadcast': { op: 'Add', inputs: [v([1, 2, 3, 4, 5, 6], [2, 3]), v([10, 20, 30])] },
  'Sub': { op: 'Sub', inputs: [v([8]), v([4, -2])] },
  'Mul': { op: 'Mul', inputs: [v([2], []), v([4, 3])] },
  'Div truncates toward zero': { op: 'Div', inputs: [v([7, -7, 9, -1]), v([2, 2, -4, 3])] },
  'Equal': { op: 'Equal', inputs: [v([3, -1, 5]), v([-1], [])] },
  'Where over Equal (PyTorch expand shapes)': { op: 'Where', inputs: [v([3, -1, 5]), v([-1], []), v([1, 1, 1]), v([3, -1, 5])], condition: true },
  'Slice, 2-d, negative step (F.pad pads)': { op: 'Slice', inputs: [v([1, 1, 0, 1, 0, 0, 0, 0], [4, 2]), v([-1]), v([-9007199254740991]), v([0]), v([-1])] },
  'Transpose 2-d': { op: 'Transpose', inputs: [v([1, 2, 3, 4, 5, 6], [3, 2])], attrs: { perm: ints([1, 0]) } },
  'ConstantOfShape int64': { op: 'ConstantOfShape', inputs: [v([2, 3])], attrs: { value: { type: 'tensor', value: { name: '', dataType: DataType.INT64, dims: [1], data: BigInt64Array.of(7n) } } } },
  'Expand': { op: 'Expand', inputs: [v([4, 5], [2, 1]), v([2, 3])] },
  'Concat of shape vectors': { op: 'Concat', inputs: [v([128]), v([-1, 7])], attrs: { axis: int(0) } },
  'Cast to int32': { op: 'Cast', inputs: [v([3, -4])], attrs: { to: int(DataType.INT32) } },
  'Cast float to int64 truncates': { op: 'Cast', inputs: [v([2, 3, -1.5])], floats: true, attrs: { to: int(DataType.INT64) } },
  'Where keeps INT64_MAX (the Slice end sentinel) exact': { op: 'Where', inputs: [v([1]), v([1]), v([INT64_MAX]), v([0])], condition: true },
  'Slice, negative step from before the first element': { op: 'Slice', inputs: [v([10, 11, 12, 13]), v([-10]), v([-INT64_MAX]), v([0]), v([-1])] },
};

describe('folded integer contents agree with onnxruntime', () => {
  it.each(Object.entries(FOLD_CASES))('%s', async (_label, c) => {
    const b = new GraphBuilder('fold-test.onnx');
    // One float input keeps the graph a graph with inputs; the folded value does not depend on it.
    b.addInput('x', DataType.FLOAT, [1]);
    let inputs = c.inputs.map((t) =>
      c.floats ? b.constant(Float32Array.from(t.values, Number), t.dims, DataType.FLOAT) : b.constant(BigInt64Array.from(t.values, (x) => BigInt(x)), t.dims, DataType.INT64));
    if (c.condition) inputs = [b.op1('Equal', [inputs[0], inputs[1]]), ...inputs.slice(2)];
    b.emit(c.op, inputs, ['y'], c.attrs);
    b.markOutput('y');
    b.markOutput('x');
    const folded = b.meta('y').value;
    expect(folded, 'Lethe folded no value').toBeDefined();
    const model = emittedModel({ graph: { name: '', nodes: [], inputs: [], outputs: [], initializers: new Map() }, opsets: [{ domain: '', version: 18 }], irVersion: 9, producerName: '', producerVersion: '', metadata: {} }, b, 'fold');
    const session = await createSession(model, { threads: 1 });
    try {
      const out = await session.run({ x: new ort.Tensor('float32', Float32Array.of(0), [1]) });
      expect(b.shape('y')).toEqual(Array.from(out.y.dims));
      expect(Array.from(folded as ArrayLike<number | bigint>, Number)).toEqual(Array.from(out.y.data as ArrayLike<number | bigint>, Number));
    } finally {
      await session.release();
    }
  });
});
