import { describe, expect, it } from 'vitest';
import { DataType, type Model, type Node, type Tensor } from '../../../src/engine/graph/ir';
import { classifierHead, forEachUnit, globalTopFraction, meanOfTopK, unitLayouts, unitScores } from '../../../src/engine/methods/common/select';
import { groupMeanWeights } from '../../../src/engine/methods/common/loop';
import { mlp } from './helpers';

const f32 = (name: string, dims: number[]): Tensor => ({ name, dataType: DataType.FLOAT, dims, data: new Float32Array(dims.reduce((a, b) => a * b, 1)) });
const node = (opType: string, inputs: string[], outputs: string[], attrs: Node['attrs'] = {}): Node => ({ name: outputs[0], opType, domain: '', inputs, outputs, attrs });

function convMatMulModel(): Model {
  const inits = [f32('conv.w', [4, 2, 3, 3]), f32('conv.b', [4]), f32('mm.w', [16, 5]), f32('mm.b', [5])];
  return {
    graph: {
      name: 'g',
      nodes: [
        node('Conv', ['x', 'conv.w', 'conv.b'], ['c']),
        node('Flatten', ['c'], ['f']),
        node('MatMul', ['f', 'mm.w'], ['m']),
        node('Add', ['m', 'mm.b'], ['y']),
      ],
      inputs: [{ name: 'x', elemType: DataType.FLOAT, shape: ['batch', 2, 4, 4] }],
      outputs: [{ name: 'y', elemType: DataType.FLOAT, shape: ['batch', 5] }],
      initializers: new Map(inits.map((t) => [t.name, t])),
    },
    opsets: [{ domain: '', version: 13 }], irVersion: 8, producerName: 't', producerVersion: '0', metadata: {},
  };
}

describe('globalTopFraction', () => {
  it('selects exactly round(q·N) entries, the largest ones, across tensors', () => {
    const scores = new Map([
      ['a', Float32Array.of(5, 1, 9, 3)],
      ['b', Float32Array.of(8, 2, 7, 0, 6, 4)],
    ]);
    const m = globalTopFraction(scores, 0.3); // 3 of 10
    expect([...m.get('a')!]).toEqual([0, 0, 1, 0]);
    expect([...m.get('b')!]).toEqual([1, 0, 1, 0, 0, 0]);
    expect([...globalTopFraction(scores, 0).get('a')!]).toEqual([0, 0, 0, 0]);
    const everything = globalTopFraction(scores, 1);
    expect([...everything.get('a')!, ...everything.get('b')!].every((v) => v === 1)).toBe(true);
  });

  it('breaks ties deterministically and never exceeds the count; NaN is never chosen', () => {
    const scores = new Map([['a', Float32Array.of(1, 1, 1, 1, NaN)]]);
    const m = globalTopFraction(scores, 0.4); // 2 of 5
    expect([...m.get('a')!]).toEqual([1, 1, 0, 0, 0]);
    expect(() => globalTopFraction(scores, 1.2)).toThrow(/fraction 1.2/);
  });
});

describe('output-unit layouts', () => {
  it('finds the unit axis per layout: Gemm transB=1 → 0, transB=0 → 1, Conv → 0, MatMul → 1', () => {
    const m = mlp([6], [4], 3, 1, { secondLayerTfjs: true });
    const l = unitLayouts(m);
    expect(l.get('fc0.weight')).toEqual({ dims: [4, 6], axis: 0 });
    expect(l.get('fc1.weight')).toEqual({ dims: [4, 3], axis: 1 });
    expect(l.has('fc0.bias')).toBe(false);
    const c = unitLayouts(convMatMulModel());
    expect(c.get('conv.w')).toEqual({ dims: [4, 2, 3, 3], axis: 0 });
    expect(c.get('mm.w')).toEqual({ dims: [16, 5], axis: 1 });
  });

  it('groups entries by unit for both axes', () => {
    const seen: number[][] = [];
    forEachUnit({ dims: [2, 3], axis: 1 }, (_u, e) => seen.push([...e]));
    expect(seen).toEqual([[0, 3], [1, 4], [2, 5]]);
    seen.length = 0;
    forEachUnit({ dims: [2, 3], axis: 0 }, (_u, e) => seen.push([...e]));
    expect(seen).toEqual([[0, 1, 2], [3, 4, 5]]);
    const s = unitScores(Float32Array.of(1, 2, 3, 4, 5, 6), { dims: [2, 3], axis: 1 }, (r) => Math.max(...r));
    expect([...s]).toEqual([4, 5, 6, 4, 5, 6]);
  });

  it('meanOfTopK clamps k to 1..length', () => {
    expect(meanOfTopK(Float32Array.of(1, 5, 3), 2)).toBe(4);
    expect(meanOfTopK(Float32Array.of(1, 5, 3), 0)).toBe(5);
    expect(meanOfTopK(Float32Array.of(1, 5, 3), 10)).toBe(3);
  });

  it('finds the classifier head: last Gemm with bias, or MatMul with the Add carrying its bias', () => {
    expect(classifierHead(mlp([6], [4, 4], 3, 1))).toEqual(['fc2.weight', 'fc2.bias']);
    expect(classifierHead(convMatMulModel())).toEqual(['mm.w', 'mm.b']);
  });
});

describe('groupMeanWeights', () => {
  it('turns (1/B)Σ wᵢℓᵢ into Σ c_g·mean_g ℓ', () => {
    const group = Uint8Array.of(0, 0, 0, 1);
    const w = groupMeanWeights(group, [0.99, -0.01]);
    const loss = [1, 2, 3, 10];
    const reduced = loss.reduce((s, l, i) => s + w[i] * l, 0) / loss.length;
    expect(reduced).toBeCloseTo(0.99 * 2 - 0.01 * 10, 6);
  });
});
