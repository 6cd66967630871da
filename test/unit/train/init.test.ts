import { describe, expect, it } from 'vitest';
import { DataType, type Model, type Node, type Tensor } from '../../../src/engine/graph/ir';
import { freshInit, parameterRoles, reinitialize } from '../../../src/engine/train/init';
import { LetheError } from '../../../src/engine/util/errors';
import { Rng } from '../../../src/engine/util/rng';

const f32 = (name: string, dims: number[], value = 7): Tensor => ({
  name,
  dataType: DataType.FLOAT,
  dims,
  data: new Float32Array(dims.reduce((a, b) => a * b, 1)).fill(value),
});
const node = (opType: string, inputs: string[], outputs: string[], attrs: Node['attrs'] = {}): Node => ({
  name: `${opType}_${outputs[0]}`,
  opType,
  domain: '',
  inputs,
  outputs,
  attrs,
});

/** Conv(groups 2) → BN → Reshape → Gemm(transB) → MatMul + Add(bias) → Mul by a constant. */
function testModel(): Model {
  const inits: Tensor[] = [
    f32('conv.w', [16, 4, 3, 3]),
    f32('conv.b', [16]),
    f32('bn.scale', [16]),
    f32('bn.bias', [16]),
    f32('bn.mean', [16]),
    f32('bn.var', [16]),
    { name: 'shape', dataType: DataType.INT64, dims: [2], data: BigInt64Array.of(-1n, 1024n) },
    f32('fc.w', [512, 1024]),
    f32('fc.b', [512]),
    f32('proj.w', [512, 256]),
    f32('proj.b', [256]),
    f32('scale', [1], 3),
  ];
  return {
    graph: {
      name: 'g',
      nodes: [
        node('Conv', ['x', 'conv.w', 'conv.b'], ['c'], { group: { type: 'int', value: 2 } }),
        node('BatchNormalization', ['c', 'bn.scale', 'bn.bias', 'bn.mean', 'bn.var'], ['n']),
        node('Reshape', ['n', 'shape'], ['r']),
        node('Gemm', ['r', 'fc.w', 'fc.b'], ['h'], { transB: { type: 'int', value: 1 } }),
        node('MatMul', ['h', 'proj.w'], ['p']),
        node('Add', ['p', 'proj.b'], ['q']),
        node('Mul', ['q', 'scale'], ['y']),
      ],
      inputs: [{ name: 'x', elemType: DataType.FLOAT, shape: ['batch', 8, 8, 8] }],
      outputs: [{ name: 'y', elemType: DataType.FLOAT, shape: ['batch', 256] }],
      initializers: new Map(inits.map((t) => [t.name, t])),
    },
    opsets: [{ domain: '', version: 13 }],
    irVersion: 8,
    producerName: 'test',
    producerVersion: '0',
    metadata: {},
    file: 'test.onnx',
  };
}

function stats(a: Float32Array): { mean: number; std: number; maxAbs: number } {
  let s = 0;
  let s2 = 0;
  let maxAbs = 0;
  for (const v of a) {
    s += v;
    s2 += v * v;
    maxAbs = Math.max(maxAbs, Math.abs(v));
  }
  const mean = s / a.length;
  return { mean, std: Math.sqrt(s2 / a.length - mean * mean), maxAbs };
}

const data = (m: Model, name: string): Float32Array => m.graph.initializers.get(name)!.data as Float32Array;

describe('parameterRoles', () => {
  it('finds fans from the layout and leaves non-parameters out', () => {
    const roles = parameterRoles(testModel());
    expect([...roles.keys()]).toEqual(['conv.w', 'conv.b', 'bn.scale', 'bn.bias', 'bn.mean', 'bn.var', 'fc.w', 'fc.b', 'proj.w', 'proj.b']);
    expect(roles.get('conv.w')).toEqual({ kind: 'weight', fanIn: 36, fanOut: 144 });
    expect(roles.get('fc.w')).toEqual({ kind: 'weight', fanIn: 1024, fanOut: 512 });
    expect(roles.get('proj.w')).toEqual({ kind: 'weight', fanIn: 512, fanOut: 256 });
    expect(roles.get('proj.b')).toEqual({ kind: 'bias', fanIn: 512 });
    expect(roles.get('bn.var')).toEqual({ kind: 'fill', value: 1 });
  });

  it('reads Gemm fans without transB as [in, out]', () => {
    const m = testModel();
    m.graph.nodes[3].attrs = {};
    m.graph.initializers.set('fc.w', f32('fc.w', [1024, 512]));
    expect(parameterRoles(m).get('fc.w')).toEqual({ kind: 'weight', fanIn: 1024, fanOut: 512 });
  });

  it('rejects a non-float32 parameter, naming the file and node', () => {
    const m = testModel();
    m.graph.initializers.set('fc.b', { name: 'fc.b', dataType: DataType.DOUBLE, dims: [512], data: new Float64Array(512) });
    expect(() => parameterRoles(m)).toThrow(LetheError);
    expect(() => parameterRoles(m)).toThrow(/test\.onnx: Gemm node "Gemm_h".*"fc\.b"/);
  });
});

describe('reinitialize (PyTorch defaults)', () => {
  const m = testModel();
  const arraysBefore = new Map([...m.graph.initializers].map(([k, t]) => [k, t.data]));
  const touched = reinitialize(m, new Rng(1));

  it('touches exactly the parameters, in place, and leaves constants alone', () => {
    expect(touched).toHaveLength(10);
    for (const [k, t] of m.graph.initializers) expect(t.data).toBe(arraysBefore.get(k));
    expect(Array.from(m.graph.initializers.get('shape')!.data as BigInt64Array)).toEqual([-1n, 1024n]);
    expect(Array.from(data(m, 'scale'))).toEqual([3]);
  });

  it('BatchNormalization: scale 1, bias 0, mean 0, var 1', () => {
    expect(data(m, 'bn.scale').every((v) => v === 1)).toBe(true);
    expect(data(m, 'bn.bias').every((v) => v === 0)).toBe(true);
    expect(data(m, 'bn.mean').every((v) => v === 0)).toBe(true);
    expect(data(m, 'bn.var').every((v) => v === 1)).toBe(true);
  });

  it('weights are U(±1/√fan_in): bounds, mean 0, std bound/√3', () => {
    for (const [name, fanIn] of [['fc.w', 1024], ['proj.w', 512]] as const) {
      const b = 1 / Math.sqrt(fanIn);
      const s = stats(data(m, name));
      expect(s.maxAbs).toBeLessThanOrEqual(b);
      expect(s.maxAbs).toBeGreaterThan(0.99 * b);
      expect(Math.abs(s.mean)).toBeLessThan(0.01 * b);
      expect(s.std).toBeGreaterThan(0.99 * (b / Math.sqrt(3)));
      expect(s.std).toBeLessThan(1.01 * (b / Math.sqrt(3)));
    }
    expect(stats(data(m, 'conv.w')).maxAbs).toBeLessThanOrEqual(1 / 6);
  });

  it('biases are U(±1/√fan_in) of their weight', () => {
    expect(stats(data(m, 'conv.b')).maxAbs).toBeLessThanOrEqual(1 / 6);
    expect(stats(data(m, 'fc.b')).maxAbs).toBeLessThanOrEqual(1 / 32);
    expect(stats(data(m, 'fc.b')).maxAbs).toBeGreaterThan(0.9 / 32);
    expect(stats(data(m, 'proj.b')).maxAbs).toBeLessThanOrEqual(1 / Math.sqrt(512));
  });

  it('the same seed gives bit-identical values; another seed does not', () => {
    const again = testModel();
    reinitialize(again, new Rng(1));
    const other = testModel();
    reinitialize(other, new Rng(2));
    for (const name of touched) {
      expect(new Uint32Array(data(again, name).buffer)).toEqual(new Uint32Array(data(m, name).buffer));
    }
    expect(data(other, 'fc.w')).not.toEqual(data(m, 'fc.w'));
  });
});

describe('weight init options', () => {
  it('kaiming-normal: mean 0, std √(2/fan_in)', () => {
    const m = testModel();
    reinitialize(m, new Rng(3), { weights: 'kaiming-normal' });
    const s = stats(data(m, 'fc.w'));
    const std = Math.sqrt(2 / 1024);
    expect(Math.abs(s.mean)).toBeLessThan(0.01 * std);
    expect(s.std).toBeGreaterThan(0.99 * std);
    expect(s.std).toBeLessThan(1.01 * std);
    expect(s.maxAbs).toBeGreaterThan(3 * std); // a normal, not a uniform
  });

  it('xavier-uniform: U(±√(6/(fan_in + fan_out)))', () => {
    const m = testModel();
    reinitialize(m, new Rng(4), { weights: 'xavier-uniform' });
    const b = Math.sqrt(6 / (1024 + 512));
    const s = stats(data(m, 'fc.w'));
    expect(s.maxAbs).toBeLessThanOrEqual(b);
    expect(s.maxAbs).toBeGreaterThan(0.99 * b);
    expect(s.std).toBeGreaterThan(0.99 * (b / Math.sqrt(3)));
    expect(s.std).toBeLessThan(1.01 * (b / Math.sqrt(3)));
  });
});

describe('freshInit', () => {
  it('returns new arrays for the chosen names only, equal to a full re-initialisation with the same seed, model untouched', () => {
    const m = testModel();
    const fresh = freshInit(m, new Rng(9), ['proj.w', 'conv.b']);
    expect([...fresh.keys()].sort()).toEqual(['conv.b', 'proj.w']);
    expect(data(m, 'proj.w').every((v) => v === 7)).toBe(true);
    const full = testModel();
    reinitialize(full, new Rng(9));
    expect(fresh.get('proj.w')).toEqual(data(full, 'proj.w'));
    expect(fresh.get('conv.b')).toEqual(data(full, 'conv.b'));
    expect(fresh.get('proj.w')).not.toBe(data(m, 'proj.w'));
  });

  it('rejects a name that is not a parameter', () => {
    expect(() => freshInit(testModel(), new Rng(0), ['scale'])).toThrow(/"scale" is not a parameter/);
  });
});
