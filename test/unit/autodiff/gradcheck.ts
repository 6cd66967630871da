/**
 * Gradient checks for one op: the op's emitted VJP (run by onnxruntime) against central finite
 * differences of the same graph, and against TF.js autodiff of an independent formulation. The graph
 * is built in float64 when onnxruntime has double kernels for every op in it, else in float32 with
 * tolerances to match. The loss is Σ y ⊙ r for a fixed random r.
 */
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { appendBackward } from '../../../src/engine/autodiff/backward';
import { GraphBuilder } from '../../../src/engine/autodiff/builder';
import type { LowerCtx } from '../../../src/engine/autodiff/opdef';
import { opDefinition } from '../../../src/engine/autodiff/registry';
import { emittedModel } from '../../../src/engine/autodiff/trainingGraph';
import { DataType, numel, type AttrValue, type Model } from '../../../src/engine/graph/ir';
import { createSession } from '../../../src/engine/runtime/session';
import { Rng } from '../../../src/engine/util/rng';

export type InputSpec =
  /** A float input differentiated by the check. */
  | { kind: 'param'; shape: number[]; values?: number[] }
  /** A float input fed at run time, not differentiated. */
  | { kind: 'input'; shape: number[]; values?: number[] }
  /** An int64 constant (shapes, axes, pads). */
  | { kind: 'ints'; values: number[] }
  /** A float constant known at build time (e.g. a dropout ratio). */
  | { kind: 'floatConst'; shape: number[]; values: number[] }
  /** The output of a Constant node (as PyTorch exports write constants): float, or int64 for shapes. */
  | { kind: 'constantNode'; shape: number[]; values: number[]; int64?: boolean }
  | { kind: 'omitted' };

export interface OpCase {
  op: string;
  attrs?: Record<string, AttrValue>;
  inputs: InputSpec[];
  outputs?: number;
  /** Lowering mode for ops that rewrite themselves (BatchNormalization, Dropout). */
  train?: boolean;
  /** Independent TF.js formulation of output 0 from the float inputs (param and input kinds, in order). */
  tf?: (...xs: tf.Tensor[]) => tf.Tensor;
  seed?: number;
}

export interface CheckResult {
  dtype: 'float64' | 'float32';
  /** Largest |analytic − finite difference| relative to max(1, |finite difference|). */
  fdError: number;
  /** Largest max-relative error against TF.js per differentiated input (undefined without a TF.js formulation). */
  tfError?: number;
  grads: Float64Array[];
}

interface Built {
  model: Model;
  feeds: (values: Float64Array[]) => Record<string, ort.Tensor>;
  gradNames: string[];
}

/** Dropout masks are fed by the harness: every third element dropped, the rest scaled by 1.5. */
function build(c: OpCase, dtype: number): Built {
  const b = new GraphBuilder('op-test.onnx', dtype);
  const fed: { name: string; index: number; shape: number[] }[] = [];
  const masks: { name: string; shape: number[] }[] = [];
  const names = c.inputs.map((spec, i) => {
    switch (spec.kind) {
      case 'param':
      case 'input': {
        const name = b.addInput(`${spec.kind}${i}`, dtype, spec.shape);
        fed.push({ name, index: i, shape: spec.shape });
        return name;
      }
      case 'ints': return b.ints(spec.values);
      case 'floatConst': return b.floats(spec.values, spec.shape);
      case 'constantNode': {
        const data = spec.int64 ? BigInt64Array.from(spec.values.map(BigInt)) : dtype === DataType.DOUBLE ? Float64Array.from(spec.values) : Float32Array.from(spec.values);
        return b.op1('Constant', [], { value: { type: 'tensor', value: { name: '', dataType: spec.int64 ? DataType.INT64 : dtype, dims: spec.shape, data } } });
      }
      case 'omitted': return '';
    }
  });
  const node = { name: `${c.op}_under_test`, opType: c.op, domain: '', inputs: names, outputs: Array.from({ length: c.outputs ?? 1 }, (_, i) => `y${i}`), attrs: c.attrs ?? {} };
  const ctx: LowerCtx = {
    train: c.train ?? false,
    stateInput: (name) => name,
    stateOutput: () => undefined,
    maskInput: (_n, shape) => {
      const name = b.addInput(`mask${masks.length}`, dtype, shape);
      masks.push({ name, shape });
      return name;
    },
  };
  if (!opDefinition(node, b.file).lower?.(node, b, ctx)) b.addNode(node);
  const forward = b.nodes.slice();
  const r = randomValues(numel(b.shape('y0')), (c.seed ?? 1) + 1000);
  const weights = b.floats(r, b.shape('y0'));
  const prod = b.op1('Mul', ['y0', weights]);
  const loss = b.op1('ReduceSum', [prod, b.ints([])], { keepdims: { type: 'int', value: 0 } });
  const params = fed.filter((f) => c.inputs[f.index].kind === 'param').map((f) => f.name);
  const grads = appendBackward(b, [...forward, ...b.nodes.slice(forward.length)], loss, params);
  b.emit('Identity', [loss], ['loss']);
  b.markOutput('loss');
  const gradNames = params.map((p) => {
    b.emit('Identity', [grads.get(p)!], [`grad_${p}`]);
    b.markOutput(`grad_${p}`);
    return `grad_${p}`;
  });
  const model = emittedModel({ graph: { name: '', nodes: [], inputs: [], outputs: [], initializers: new Map() }, opsets: [{ domain: '', version: 20 }], irVersion: 9, producerName: '', producerVersion: '', metadata: {} }, b, 'op_test');
  const type = dtype === DataType.DOUBLE ? 'float64' : 'float32';
  const feeds = (vals: Float64Array[]): Record<string, ort.Tensor> => {
    const out: Record<string, ort.Tensor> = {};
    for (const f of fed) out[f.name] = new ort.Tensor(type, dtype === DataType.DOUBLE ? Float64Array.from(vals[f.index]) : Float32Array.from(vals[f.index]), f.shape);
    for (const m of masks) {
      const mask = Array.from({ length: numel(m.shape) }, (_, i) => (i % 3 === 0 ? 0 : 1.5));
      out[m.name] = new ort.Tensor(type, dtype === DataType.DOUBLE ? Float64Array.from(mask) : Float32Array.from(mask), m.shape);
    }
    return out;
  };
  return { model, feeds, gradNames };
}

export function randomValues(n: number, seed: number, scale = 1): Float64Array {
  const rng = new Rng(seed);
  return Float64Array.from({ length: n }, () => rng.normal() * scale);
}

async function sessionFor(c: OpCase): Promise<{ built: Built; session: ort.InferenceSession; dtype: 'float64' | 'float32' }> {
  try {
    const built = build(c, DataType.DOUBLE);
    return { built, session: await createSession(built.model, { threads: 1 }), dtype: 'float64' };
  } catch (e) {
    if (!/implementation|not supported|type/i.test((e as Error).message)) throw e;
    const built = build(c, DataType.FLOAT);
    return { built, session: await createSession(built.model, { threads: 1 }), dtype: 'float32' };
  }
}

export async function checkOp(c: OpCase): Promise<CheckResult> {
  const seed = c.seed ?? 1;
  const values = c.inputs.map((spec, i) =>
    spec.kind === 'param' || spec.kind === 'input' ? (spec.values ? Float64Array.from(spec.values) : randomValues(numel(spec.shape), seed * 100 + i)) : new Float64Array(0),
  );
  const { built, session, dtype } = await sessionFor(c);
  try {
    const run = async (vals: Float64Array[]): Promise<ort.InferenceSession.OnnxValueMapType> => session.run(built.feeds(vals));
    const base = await run(values);
    const grads = built.gradNames.map((g) => Float64Array.from(base[g].data as Float64Array));
    const eps = dtype === 'float64' ? 1e-6 : 1e-2;
    let fdError = 0;
    let k = 0;
    for (const [i, spec] of c.inputs.entries()) {
      if (spec.kind !== 'param') continue;
      const g = grads[k++];
      for (let j = 0; j < values[i].length; j++) {
        const at = (delta: number): Float64Array[] => values.map((v, m) => (m === i ? Float64Array.from(v, (x, q) => (q === j ? x + delta : x)) : v));
        const plus = Number((await run(at(eps))).loss.data[0]);
        const minus = Number((await run(at(-eps))).loss.data[0]);
        const fd = (plus - minus) / (2 * eps);
        fdError = Math.max(fdError, Math.abs(g[j] - fd) / Math.max(1, Math.abs(fd)));
      }
    }
    const result: CheckResult = { dtype, fdError, grads };
    if (c.tf) result.tfError = tfError(c, values, grads);
    return result;
  } finally {
    await session.release();
  }
}

function tfError(c: OpCase, values: Float64Array[], grads: Float64Array[]): number {
  return tf.tidy(() => {
    const floats = c.inputs.map((spec, i) => ({ spec, i })).filter(({ spec }) => spec.kind === 'param' || spec.kind === 'input');
    const tensors = floats.map(({ spec, i }) => tf.tensor(Float32Array.from(values[i]), (spec as { shape: number[] }).shape));
    const paramIdx = floats.map(({ spec }, k) => (spec.kind === 'param' ? k : -1)).filter((k) => k >= 0);
    const y0 = c.tf!(...tensors);
    const r = tf.tensor(Float32Array.from(randomValues(y0.size, (c.seed ?? 1) + 1000)), y0.shape);
    const f = (...ps: tf.Tensor[]): tf.Scalar => {
      const all = tensors.slice();
      paramIdx.forEach((k, m) => (all[k] = ps[m]));
      return tf.sum(tf.mul(c.tf!(...all), r)) as tf.Scalar;
    };
    const ref = tf.grads(f)(paramIdx.map((k) => tensors[k]));
    let worst = 0;
    ref.forEach((t, m) => {
      const want = t.dataSync();
      let diff = 0;
      let scale = 0;
      for (let q = 0; q < want.length; q++) {
        diff = Math.max(diff, Math.abs(grads[m][q] - want[q]));
        scale = Math.max(scale, Math.abs(want[q]));
      }
      worst = Math.max(worst, diff / Math.max(scale, 1e-6));
    });
    return worst;
  });
}
