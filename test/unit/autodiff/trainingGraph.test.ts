/** Training-step graphs built from whole models: exported patterns, dropout, and errors that name file, node, op and attribute. */
import { describe, expect, it } from 'vitest';
import { buildTrainingGraph } from '../../../src/engine/autodiff/trainingGraph';
import { validateModel } from '../../../src/engine/autodiff/validate';
import type { Model } from '../../../src/engine/graph/ir';
import { TrainStep, type StepResult } from '../../../src/engine/runtime/trainStep';
import { LetheError } from '../../../src/engine/util/errors';
import { randomValues } from './gradcheck';
import { floatTensor, initialValues, intTensor, mlp, node, PARAMS } from './tinyModels';

const B = 4;
const x = Float32Array.from(randomValues(B * 6, 21));
const labels = Int32Array.from([1, 0, 3, 2]);
const scalar = (name: string, v: number) => ({ name, dataType: 1, dims: [], data: Float32Array.of(v) });

async function step(model: Model, trainMode = false, dropoutSeed?: number, params = PARAMS): Promise<StepResult> {
  const s = await TrainStep.create({ model, batchSize: B, loss: { terms: [{ kind: 'ce' }] }, params, trainMode, threads: 1 });
  try {
    return await s.run(initialValues(model, params), { x, labels, dropoutSeed });
  } finally {
    s.release();
  }
}

function expectSameGrads(a: StepResult, b: StepResult, tol = 1e-5): void {
  expect(a.loss).toBeCloseTo(b.loss, 5);
  for (const [k, g] of a.grads) g.forEach((v, i) => expect(Math.abs(v - b.grads.get(k)![i]), k).toBeLessThanOrEqual(tol));
}

function thrown(f: () => unknown): LetheError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(LetheError);
    return e as LetheError;
  }
  throw new Error('expected a LetheError');
}

describe('exported patterns', () => {
  it('the Erf-based Gelu pattern PyTorch exports equals the opset-20 Gelu op', async () => {
    const pattern = mlp(
      [node('Div', ['h', 'sqrt2'], ['d']), node('Erf', ['d'], ['e']), node('Add', ['e', 'one'], ['e1']), node('Mul', ['h', 'e1'], ['m']), node('Mul', ['m', 'half'], ['a'])],
      [scalar('sqrt2', Math.SQRT2), scalar('one', 1), scalar('half', 0.5)],
    );
    const op = mlp([node('Gelu', ['h'], ['a'])], [], 20);
    expectSameGrads(await step(pattern), await step(op));
  });

  it('folds the Shape → Gather → Unsqueeze → Concat → Reshape arithmetic of a traced view()', async () => {
    const traced = mlp(
      [
        node('Relu', ['h'], ['r']),
        node('Shape', ['r'], ['s']),
        node('Gather', ['s', 'zero'], ['n'], { axis: { type: 'int', value: 0 } }),
        node('Unsqueeze', ['n', 'axes0'], ['nu']),
        node('Concat', ['nu', 'minus1'], ['shape'], { axis: { type: 'int', value: 0 } }),
        node('Reshape', ['r', 'shape'], ['a']),
      ],
      [{ name: 'zero', dataType: 7, dims: [], data: BigInt64Array.of(0n) }, intTensor('axes0', [0]), intTensor('minus1', [-1])],
    );
    expectSameGrads(await step(traced), await step(mlp([node('Relu', ['h'], ['a'])])));
  });

  it('the LayerNorm pattern PyTorch exports below opset 17 (ReduceMean, Pow, Sqrt, Div, Cast) equals LayerNormalization', async () => {
    const axes = { axes: { type: 'ints' as const, value: [-1] } };
    const pattern = mlp(
      [
        node('Cast', ['h'], ['hc'], { to: { type: 'int', value: 1 } }),
        node('ReduceMean', ['hc'], ['m'], axes),
        node('Sub', ['hc', 'm'], ['d']),
        node('Pow', ['d', 'two'], ['sq']),
        node('ReduceMean', ['sq'], ['v'], axes),
        node('Add', ['v', 'eps'], ['ve']),
        node('Sqrt', ['ve'], ['s']),
        node('Div', ['d', 's'], ['n']),
        node('Mul', ['n', 'g'], ['ng']),
        node('Add', ['ng', 'beta'], ['a']),
      ],
      [scalar('two', 2), scalar('eps', 1e-5), floatTensor('g', [8], 5), floatTensor('beta', [8], 6)],
    );
    const op = mlp([node('LayerNormalization', ['h', 'g', 'beta'], ['a'], { epsilon: { type: 'float', value: 1e-5 } })], [floatTensor('g', [8], 5), floatTensor('beta', [8], 6)], 17);
    const params = [...PARAMS, 'g', 'beta'];
    expectSameGrads(await step(pattern, false, undefined, params), await step(op, false, undefined, params));
  });

  it('trains through LayerNormalization (opset 17)', async () => {
    const ln = mlp([node('LayerNormalization', ['h', 'g', 'beta'], ['a'], { epsilon: { type: 'float', value: 1e-5 } })], [floatTensor('g', [8], 5), floatTensor('beta', [8], 6)], 17);
    const r = await step(ln, false, undefined, [...PARAMS, 'g', 'beta']);
    expect(Number.isFinite(r.loss)).toBe(true);
    expect(Math.max(...Array.from(r.grads.get('g')!, Math.abs))).toBeGreaterThan(0);
  });

  it('gives zero gradients to a parameter the loss does not reach', async () => {
    const model = mlp([node('Relu', ['h'], ['a'])], [floatTensor('unused', [3], 7)]);
    const r = await step(model, false, undefined, [...PARAMS, 'unused']);
    expect(Array.from(r.grads.get('unused')!)).toEqual([0, 0, 0]);
  });
});

describe('dropout', () => {
  const model = mlp([node('Dropout', ['h', 'ratio'], ['a'])], [scalar('ratio', 0.5)]);

  it('is the identity in evaluation mode', async () => {
    expectSameGrads(await step(model), await step(mlp([node('Identity', ['h'], ['a'])])));
  });

  it('draws its mask from the seed in training mode: same seed, same step; other seed, other step', async () => {
    const a = await step(model, true, 7);
    const b = await step(model, true, 7);
    const c = await step(model, true, 8);
    expectSameGrads(a, b, 0);
    expect(a.grads.get('W2')).not.toEqual(c.grads.get('W2'));
    const graph = buildTrainingGraph(model, { batchSize: B, loss: { terms: [{ kind: 'ce' }] }, params: PARAMS, trainMode: true });
    expect(graph.masks).toEqual([{ name: graph.masks[0].name, shape: [B, 8], ratio: 0.5 }]);
  });
});

describe('errors name the file, the node, the op and the attribute', () => {
  it('an unsupported op', () => {
    const e = thrown(() => validateModel(mlp([node('Cos', ['h'], ['a'], {}, 'my_cos')])));
    expect(e.message).toContain('tiny.onnx');
    expect(e.message).toContain('"Cos"');
    expect(e.message).toContain('my_cos');
  });

  it('an unsupported attribute value (Gelu approximate)', () => {
    const e = thrown(() => validateModel(mlp([node('Gelu', ['h'], ['a'], { approximate: { type: 'string', value: 'fast' } }, 'my_gelu')], [], 20)));
    expect(e.message).toMatch(/tiny\.onnx.*my_gelu.*Gelu.*"approximate".*"fast"/);
  });

  it('an unsupported attribute value (Conv group 2)', () => {
    const conv = mlp([
      node('Reshape', ['h', 'shape4'], ['h4']),
      node('Conv', ['h4', 'k'], ['c'], { group: { type: 'int', value: 2 } }, 'grouped_conv'),
      node('Reshape', ['c', 'shape2'], ['a']),
    ], [intTensor('shape4', [-1, 2, 2, 2]), floatTensor('k', [2, 1, 1, 1], 8), intTensor('shape2', [-1, 8])]);
    const e = thrown(() => validateModel(conv));
    expect(e.message).toContain('tiny.onnx');
    expect(e.message).toContain('grouped_conv');
    expect(e.message).toContain('Conv');
    expect(e.message).toContain('"group"');
    expect(e.message).toContain('2');
  });

  it('an unknown attribute', () => {
    const e = thrown(() => validateModel(mlp([node('Relu', ['h'], ['a'], { slope: { type: 'float', value: 1 } }, 'odd_relu')])));
    expect(e.message).toMatch(/odd_relu.*Relu.*"slope"/);
  });

  it('a missing required input, too many inputs, and an input nothing defines', () => {
    const short = mlp([node('Relu', ['h'], ['a'])]);
    short.graph.nodes[0] = { ...short.graph.nodes[0], inputs: ['x'], name: 'short_gemm' };
    expect(thrown(() => validateModel(short)).message).toMatch(/tiny\.onnx.*short_gemm.*Gemm takes 2 to 3 inputs, found 1/);
    const emptyRequired = mlp([node('Div', ['h', ''], ['a'], {}, 'half_div')]);
    expect(thrown(() => validateModel(emptyRequired)).message).toMatch(/half_div.*Div takes 2 inputs, found 1 \(input 1 is empty\)/);
    expect(thrown(() => validateModel(mlp([node('Relu', ['h', 'h'], ['a'], {}, 'two_relu')]))).message).toMatch(/two_relu.*Relu takes 1 inputs, found 2/);
    expect(thrown(() => validateModel(mlp([node('Add', ['h', 'ghost'], ['a'], {}, 'haunted')]))).message).toMatch(/haunted.*input "ghost" is not a graph input/);
  });

  it('an op of another domain', () => {
    const custom = mlp([{ ...node('FusedThing', ['h'], ['a']), domain: 'com.microsoft' }]);
    expect(thrown(() => validateModel(custom)).message).toContain('com.microsoft.FusedThing');
  });

  it('a dynamic dimension other than the batch axis, and an opset too old', () => {
    expect(thrown(() => validateModel(mlp([node('Relu', ['h'], ['a'])], [], 13, ['batch', 'features']))).message).toContain('"features"');
    expect(thrown(() => validateModel(mlp([node('Relu', ['h'], ['a'])], [], 11))).message).toContain('opset 11');
  });

  it('a differentiated path through an op without a gradient', () => {
    const sign = mlp([node('Sign', ['h'], ['a'], {}, 'signs')]);
    const e = thrown(() => buildTrainingGraph(sign, { batchSize: B, loss: { terms: [{ kind: 'ce' }] }, params: PARAMS, trainMode: false }));
    expect(e.message).toMatch(/signs.*Sign.*no gradient/);
    // Parameters after the op are fine.
    expect(buildTrainingGraph(sign, { batchSize: B, loss: { terms: [{ kind: 'ce' }] }, params: ['W2', 'b2'], trainMode: false }).params.length).toBe(2);
  });

  it('a Gather whose indices are computed at run time, on a differentiated path', () => {
    const gather = mlp([
      node('Cast', ['h'], ['hi'], { to: { type: 'int', value: 7 } }),
      node('Gather', ['h', 'hi'], ['g'], { axis: { type: 'int', value: 1 } }, 'lookup'),
      node('ReduceSum', ['g', 'last'], ['a'], { keepdims: { type: 'int', value: 0 } }),
    ], [intTensor('last', [1])]);
    const e = thrown(() => buildTrainingGraph(gather, { batchSize: B, loss: { terms: [{ kind: 'ce' }] }, params: PARAMS, trainMode: false }));
    expect(e.message).toMatch(/lookup.*Gather.*needs constant indices/);
  });

  it('a parameter that is not an initializer, a wrong batch and a label out of range', async () => {
    const model = mlp([node('Relu', ['h'], ['a'])]);
    expect(thrown(() => buildTrainingGraph(model, { batchSize: B, loss: { terms: [{ kind: 'ce' }] }, params: ['W9'], trainMode: false })).message).toContain('"W9"');
    const s = await TrainStep.create({ model, batchSize: B, loss: { terms: [{ kind: 'ce' }] }, params: PARAMS, trainMode: false, threads: 1 });
    try {
      await expect(s.run(initialValues(model), { x: x.subarray(0, 12), labels })).rejects.toThrow(/2 examples.*built for 4/);
      await expect(s.run(initialValues(model), { x, labels: Int32Array.from([0, 1, 4, 0]) })).rejects.toThrow(/label 4 .*outside 0..3/);
    } finally {
      s.release();
    }
  });
});

describe('Predictor', () => {
  it('handles tail batches and models exported with a fixed batch size', async () => {
    const { Predictor } = await import('../../../src/engine/runtime/predict');
    const dynamic = mlp([node('Relu', ['h'], ['a'])]);
    const fixed = mlp([node('Relu', ['h'], ['a'])], [], 13, [3, 6]);
    const n = 7;
    const xs = Float32Array.from(randomValues(n * 6, 31));
    const results: Float32Array[] = [];
    for (const [model, batchSize] of [[dynamic, 512], [dynamic, 3], [fixed, 512]] as const) {
      const p = await Predictor.create(model, { batchSize, threads: 1 });
      try {
        results.push(await p.logits(xs, n));
      } finally {
        p.release();
      }
    }
    const s = await TrainStep.create({ model: dynamic, batchSize: n, loss: { terms: [{ kind: 'ce' }] }, params: [], trainMode: false, threads: 1 });
    const reference = (await s.run(new Map(), { x: xs, labels: new Int32Array(n) })).logits;
    s.release();
    for (const r of results) {
      expect(r.length).toBe(n * 4);
      r.forEach((v, i) => expect(v).toBeCloseTo(reference[i], 5));
    }
  });
});
