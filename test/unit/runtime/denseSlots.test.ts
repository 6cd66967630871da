/** denseSlots decides when per-example dense gradients apply; fillDense forms them from layer inputs and output gradients. */
import { describe, expect, it } from 'vitest';
import type { AttrValue, Model, Node } from '../../../src/engine/graph/ir';
import { denseSlots, fillDense, type DenseSlot } from '../../../src/engine/runtime/denseSlots';
import { LetheError } from '../../../src/engine/util/errors';
import { fixtureModel, MLP_PARAMS } from './fixtureModels';

const sizesOf = (model: Model, params: string[]): number[] => params.map((p) => model.graph.initializers.get(p)!.data.length);

describe('denseSlots', () => {
  it('lays out the MLP parameters in the order asked, each as the weight or bias of its Gemm', async () => {
    const model = await fixtureModel('fmnist-mlp');
    const params = ['net.3.bias', 'net.1.weight', 'net.3.weight'];
    const slots = denseSlots(model, params, sizesOf(model, params))!;
    expect(slots.map(({ param, kind, offset, size, node }) => ({ param, kind, offset, size, node: node.opType }))).toEqual([
      { param: 'net.3.bias', kind: 'bias', offset: 0, size: 10, node: 'Gemm' },
      { param: 'net.1.weight', kind: 'weight', offset: 10, size: 256 * 784, node: 'Gemm' },
      { param: 'net.3.weight', kind: 'weight', offset: 10 + 256 * 784, size: 2560, node: 'Gemm' },
    ]);
    expect(slots[0].node).toBe(slots[2].node);
  });

  it('declines parameters that are not a Gemm weight or bias used once, and a transposed A', async () => {
    const cnn = await fixtureModel('fmnist-cnn');
    expect(denseSlots(cnn, ['h.3.weight', 'f.0.weight'], sizesOf(cnn, ['h.3.weight', 'f.0.weight']))).toBeUndefined();
    expect(denseSlots(cnn, ['h.3.weight'], sizesOf(cnn, ['h.3.weight']))).toBeDefined();
    const shared = await fixtureModel('fmnist-mlp');
    shared.graph.nodes.push({ name: 'reuse', opType: 'Identity', domain: '', inputs: ['net.3.bias'], outputs: ['again'], attrs: {} });
    expect(denseSlots(shared, ['net.3.bias'], [10])).toBeUndefined();
    const transA = await fixtureModel('fmnist-mlp');
    transA.graph.nodes[3].attrs.transA = { type: 'int', value: 1 };
    expect(denseSlots(transA, ['net.3.weight'], [2560])).toBeUndefined();
    expect(denseSlots(transA, MLP_PARAMS.slice(0, 2), sizesOf(transA, MLP_PARAMS.slice(0, 2)))).toBeDefined();
  });

  it('names the node and attribute when an attribute has the wrong type', async () => {
    const model = await fixtureModel('fmnist-mlp');
    const gemm = model.graph.nodes[3];
    gemm.attrs.transA = { type: 'float', value: 0 };
    const err = (() => {
      try {
        denseSlots(model, ['net.3.weight'], [2560]);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(LetheError);
    expect((err as LetheError).message).toBe(`${model.file}: node "${gemm.name}" (Gemm), attribute "transA": expected int, found float`);
  });
});

function gemm(attrs: Record<string, AttrValue>): Node {
  return { name: 'g', opType: 'Gemm', domain: '', inputs: ['a', 'w', 'c'], outputs: ['y'], attrs };
}

describe('fillDense', () => {
  // Two examples, 3 inputs, 2 outputs; rows of `out` are 1 + size wide (a 1-value slot before, to check the offset).
  const a = Float32Array.of(1, 2, 3, -1, 0, 2);
  const g = Float32Array.of(0.5, -1, 2, 1);
  const fill = (slot: Omit<DenseSlot, 'param' | 'offset'>): number[][] => {
    const total = 1 + slot.size;
    const out = new Float32Array(2 * total).fill(9);
    fillDense(out, total, { ...slot, param: 'p', offset: 1 }, a, g, 2);
    return [Array.from(out.subarray(0, total)), Array.from(out.subarray(total))];
  };

  it('forms α·a_i ⊗ g_i laid out as W is: [in, out], or [out, in] with transB', () => {
    expect(fill({ node: gemm({ alpha: { type: 'float', value: 2 } }), kind: 'weight', size: 6 })).toEqual([
      [9, 1, -2, 2, -4, 3, -6],
      [9, -4, -2, 0, 0, 8, 4],
    ]);
    expect(fill({ node: gemm({ transB: { type: 'int', value: 1 } }), kind: 'weight', size: 6 })).toEqual([
      [9, 0.5, 1, 1.5, -1, -2, -3],
      [9, -2, 0, 4, -1, 0, 2],
    ]);
  });

  it('forms β·g_i for a bias per output, and β·Σ g_i for a scalar bias', () => {
    expect(fill({ node: gemm({ beta: { type: 'float', value: 3 } }), kind: 'bias', size: 2 })).toEqual([
      [9, 1.5, -3],
      [9, 6, 3],
    ]);
    expect(fill({ node: gemm({}), kind: 'bias', size: 1 })).toEqual([
      [9, -0.5],
      [9, 3],
    ]);
  });
});
