/** createSession (threads, errors) and Feeds (tensor reuse) on the fixture MLP. */
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { createSession, Feeds } from '../../../src/engine/runtime/session';
import { LetheError } from '../../../src/engine/util/errors';
import { directLogits, fixtureModel, maxAbsDiff, seededBatch } from './fixtureModels';

async function logitsOf(session: ort.InferenceSession, x: Float32Array, n: number): Promise<Float32Array> {
  const out = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', x, [n, 1, 28, 28]) });
  return out[session.outputNames[0]].data as Float32Array;
}

describe('createSession', () => {
  it.each([[1], [2], [undefined]])('runs the decoded model as onnxruntime runs the file (threads %s)', async (threads) => {
    const model = await fixtureModel('fmnist-mlp');
    const { x } = seededBatch(5, 1);
    const session = await createSession(model, { threads });
    try {
      expect(session.inputNames).toEqual(['input']);
      expect(session.outputNames).toEqual(['logits']);
      expect(maxAbsDiff(await logitsOf(session, x, 5), await directLogits('fmnist-mlp', x, 5))).toBeLessThan(1e-5);
    } finally {
      await session.release();
    }
  });

  it('refuses a graph onnxruntime cannot load with a LetheError naming the model file', async () => {
    const model = await fixtureModel('fmnist-mlp');
    // A node reading a value nothing produces.
    model.graph.nodes[1] = { ...model.graph.nodes[1], inputs: ['nowhere', ...model.graph.nodes[1].inputs.slice(1)] };
    const err = await createSession(model, { threads: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LetheError);
    expect((err as LetheError).message).toMatch(/onnxruntime cannot load the graph/);
    expect((err as LetheError).file).toBe(model.file);
  });
});

describe('Feeds', () => {
  it('wraps a caller array without copying and makes a new tensor only for a different array', () => {
    const feeds = new Feeds();
    const a = new Float32Array([1, 2, 3, 4]);
    feeds.wrap('x', a, [2, 2]);
    const first = feeds.tensors.x;
    expect(first.data).toBe(a);
    expect(first.dims).toEqual([2, 2]);
    feeds.wrap('x', a, [2, 2]);
    expect(feeds.tensors.x).toBe(first);
    const b = new Float32Array(4);
    feeds.wrap('x', b, [2, 2]);
    expect(feeds.tensors.x).not.toBe(first);
    expect(feeds.tensors.x.data).toBe(b);
  });

  it('owns one zeroed buffer per input, the same on every call', () => {
    const feeds = new Feeds();
    const buf = feeds.buffer('y', [3, 2]);
    expect(buf.length).toBe(6);
    expect([...buf]).toEqual([0, 0, 0, 0, 0, 0]);
    buf[4] = 7;
    expect(feeds.buffer('y', [3, 2])).toBe(buf);
    expect(feeds.tensors.y.data).toBe(buf);
    expect(feeds.tensors.y.dims).toEqual([3, 2]);
  });
});
