/** A hostile graph long enough to stall onnxruntime's session setup is refused before any session is made. */
import { describe, expect, it } from 'vitest';
import { MAX_FORWARD_NODES, validateModel } from '../../../src/engine/autodiff/validate';
import type { Model, Node } from '../../../src/engine/graph/ir';
import { LetheError } from '../../../src/engine/util/errors';

function reluChain(length: number): Model {
  const nodes: Node[] = Array.from({ length }, (_, i) => ({ name: `r${i}`, opType: 'Relu', domain: '', inputs: [i === 0 ? 'x' : `v${i - 1}`], outputs: [`v${i}`], attrs: {} }));
  return {
    graph: { name: 'chain', nodes, inputs: [{ name: 'x', elemType: 1, shape: ['batch', 4] }], outputs: [{ name: `v${length - 1}`, elemType: 1, shape: ['batch', 4] }], initializers: new Map() },
    opsets: [{ domain: '', version: 13 }],
    irVersion: 8,
    producerName: 'test',
    producerVersion: '',
    metadata: {},
    file: 'chain.onnx',
  };
}

describe('graph size limit', () => {
  it('accepts a chain at the limit and refuses one node more, naming the file', () => {
    expect(() => validateModel(reluChain(MAX_FORWARD_NODES))).not.toThrow();
    expect(() => validateModel(reluChain(MAX_FORWARD_NODES + 1))).toThrow(LetheError);
    expect(() => validateModel(reluChain(MAX_FORWARD_NODES + 1))).toThrow(/chain\.onnx.*3001 nodes/);
  });
});
