/** Small hand-built models for loss, pattern and error tests. */
import { DataType, type Model, type Node, type Tensor } from '../../../src/engine/graph/ir';
import { randomValues } from './gradcheck';

export function floatTensor(name: string, dims: number[], seed: number, scale = 0.5): Tensor {
  return { name, dataType: DataType.FLOAT, dims, data: Float32Array.from(randomValues(dims.reduce((a, d) => a * d, 1), seed, scale)) };
}

export function intTensor(name: string, values: number[]): Tensor {
  return { name, dataType: DataType.INT64, dims: [values.length], data: BigInt64Array.from(values.map(BigInt)) };
}

export function node(opType: string, inputs: string[], outputs: string[], attrs: Node['attrs'] = {}, name = `${opType}_${outputs[0]}`): Node {
  return { name, opType, domain: '', inputs, outputs, attrs };
}

/**
 * x [batch, 6] → Gemm(W1, b1) → `middle` nodes (from "h" to "a") → Gemm(W2, b2) → logits [batch, 4].
 * `extra` adds initializers the middle nodes use.
 */
export function mlp(middle: Node[], extra: Tensor[] = [], opset = 13, inputShape: (number | string)[] = ['batch', 6]): Model {
  const initializers = new Map<string, Tensor>();
  for (const t of [floatTensor('W1', [8, 6], 1), floatTensor('b1', [8], 2), floatTensor('W2', [4, 8], 3), floatTensor('b2', [4], 4), ...extra]) initializers.set(t.name, t);
  const transB = { transB: { type: 'int' as const, value: 1 } };
  return {
    graph: {
      name: 'tiny',
      nodes: [node('Gemm', ['x', 'W1', 'b1'], ['h'], transB), ...middle, node('Gemm', ['a', 'W2', 'b2'], ['logits'], transB)],
      inputs: [{ name: 'x', elemType: DataType.FLOAT, shape: inputShape }],
      outputs: [{ name: 'logits', elemType: DataType.FLOAT, shape: ['batch', 4] }],
      initializers,
    },
    opsets: [{ domain: '', version: opset }],
    irVersion: 8,
    producerName: 'test',
    producerVersion: '',
    metadata: {},
    file: 'tiny.onnx',
  };
}

export const PARAMS = ['W1', 'b1', 'W2', 'b2'];

export function initialValues(model: Model, names = PARAMS): Map<string, Float32Array> {
  return new Map(names.map((n) => [n, Float32Array.from(model.graph.initializers.get(n)!.data as Float32Array)]));
}
