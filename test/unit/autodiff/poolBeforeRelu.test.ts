/** Relu → MaxPool swapped in training graphs: only where nothing else reads the ReLU, and with gradients equal to the unswapped graph's, ties included. */
import { describe, expect, it } from 'vitest';
import { poolBeforeRelu } from '../../../src/engine/autodiff/poolBeforeRelu';
import { DataType, type Model, type Tensor } from '../../../src/engine/graph/ir';
import { TrainStep } from '../../../src/engine/runtime/trainStep';
import { node } from './tinyModels';

const ints = (value: number[]) => ({ type: 'ints' as const, value });
const pool = node('MaxPool', ['r'], ['p'], { kernel_shape: ints([2, 2]), strides: ints([2, 2]) });
const B = 6;

/** x [B, 1, 4, 4] + c → Relu → MaxPool 2×2 → Flatten → Gemm → logits [B, 3]. */
function model(): Model {
  const t = (name: string, dims: number[], data: number[]): Tensor => ({ name, dataType: DataType.FLOAT, dims, data: Float32Array.from(data) });
  const initializers = new Map<string, Tensor>(
    [t('c', [1, 1, 4, 4], new Array(16).fill(0)), t('W', [3, 4], [0.3, -0.2, 0.5, 0.1, -0.4, 0.2, 0.1, 0.6, 0.2, 0.7, -0.3, -0.1]), t('bias', [3], [0.1, 0, -0.1])].map((x) => [x.name, x]),
  );
  return {
    graph: {
      name: 'pool',
      nodes: [
        node('Add', ['x', 'c'], ['h']),
        node('Relu', ['h'], ['r']),
        pool,
        node('Flatten', ['p'], ['f']),
        node('Gemm', ['f', 'W', 'bias'], ['logits'], { transB: { type: 'int', value: 1 } }),
      ],
      inputs: [{ name: 'x', elemType: DataType.FLOAT, shape: ['batch', 1, 4, 4] }],
      outputs: [{ name: 'logits', elemType: DataType.FLOAT, shape: ['batch', 3] }],
      initializers,
    },
    opsets: [{ domain: '', version: 13 }],
    irVersion: 8,
    producerName: 'test',
    producerVersion: '',
    metadata: {},
  };
}

describe('poolBeforeRelu', () => {
  it('swaps a Relu whose only reader is a MaxPool, and keeps the pooled value name', () => {
    const out = poolBeforeRelu(model().graph.nodes, ['logits'], []);
    expect(out.map((n) => n.opType)).toEqual(['Add', 'MaxPool', 'Relu', 'Flatten', 'Gemm']);
    expect(out[1].inputs[0]).toBe('h');
    expect(out[2].outputs[0]).toBe('p');
  });

  it('leaves the pair alone when the ReLU value is read elsewhere, probed or a graph output', () => {
    const nodes = model().graph.nodes;
    const twoReaders = [...nodes, node('Identity', ['r'], ['extra'])];
    expect(poolBeforeRelu(twoReaders, ['logits'], []).map((n) => n.opType)).toEqual(twoReaders.map((n) => n.opType));
    expect(poolBeforeRelu(nodes, ['logits'], ['r'])).toEqual(nodes);
    expect(poolBeforeRelu(nodes, ['logits', 'r'], [])).toEqual(nodes);
  });

  it('gives the gradients of the unswapped graph on inputs full of ties, positive, zero and negative', async () => {
    // Values from a small set, so most pooling windows hold equal maxima; the first of them must get the gradient.
    const levels = [-1, -0.5, 0, 0.5, 0.5, 1];
    const x = Float32Array.from({ length: B * 16 }, (_, i) => levels[(i * 7 + (i >> 3)) % levels.length]);
    const labels = Int32Array.from({ length: B }, (_, i) => i % 3);
    const m = model();
    const params = ['c', 'W', 'bias'];
    const values = new Map(params.map((p) => [p, Float32Array.from(m.graph.initializers.get(p)!.data as Float32Array)]));
    const run = async (probes?: { values: string[] }) => {
      const s = await TrainStep.create({ model: m, batchSize: B, loss: { terms: [{ kind: 'ce' }] }, params, trainMode: true, threads: 1, probes });
      try {
        return { graph: s.graph.model.graph.nodes.map((n) => n.opType), result: await s.run(values, { x, labels }) };
      } finally {
        s.release();
      }
    };
    const swapped = await run();
    const kept = await run({ values: ['r'] }); // probing the ReLU value keeps the original order
    expect(swapped.graph.indexOf('MaxPool')).toBeLessThan(swapped.graph.indexOf('Relu'));
    expect(kept.graph.indexOf('Relu')).toBeLessThan(kept.graph.indexOf('MaxPool'));
    expect(swapped.result.loss).toBe(kept.result.loss);
    for (const p of params) expect(Array.from(swapped.result.grads.get(p)!), p).toEqual(Array.from(kept.result.grads.get(p)!));
    // The bias gradient is routing-sensitive: some windows tie, and several entries of c get no gradient.
    expect(Array.from(swapped.result.grads.get('c')!).filter((v) => v === 0).length).toBeGreaterThan(4);
  });
});
