/**
 * Output-function gradients of an ONNX model (the fixture MLP) against the shared per-example cross-entropy
 * gradients: ∇CE = −(1 − p_y)·∇margin and ∇CE = Σ_c (p_c − [c = y])·∇f_c must hold example by example.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { OnnxGradientSource } from '../../../src/engine/attribution/onnxGradients';
import { oneMinusPFromLogits, type OutputFunction } from '../../../src/engine/attribution/gradientSource';
import { gradientParameters, lastLayerParameters } from '../../../src/engine/attribution/parameters';
import { readModelFile } from '../../../src/engine/onnx/read';
import { perExampleGradients } from '../../../src/engine/runtime/perExample';
import { trainableParameters } from '../../../src/engine/train/params';
import { fashionImages, MLP } from './helpers';

const model = await readModelFile(MLP);
const data = await fashionImages(24);
const params = trainableParameters(model);
const indices = Int32Array.from({ length: 24 }, (_, i) => i);

async function collect(source: OnnxGradientSource, out: OutputFunction): Promise<Float32Array> {
  const all = new Float32Array(indices.length * source.paramCount);
  for await (const b of source.gradients(indices, out)) all.set(b.grads, b.start * source.paramCount);
  return all;
}

let ceAll: Float32Array = new Float32Array(0);
for await (const b of perExampleGradients(model, data.x, data.y, 24, params, { chunk: 24 })) ceAll = b.grads;

describe('ONNX output-function gradients', () => {
  const dense = new OnnxGradientSource(model, data, { chunk: 10 });
  afterAll(() => dense.release());

  it('margin gradients satisfy ∇CE = −(1 − p_y)·∇margin on every example', async () => {
    const P = dense.paramCount;
    const margin = await collect(dense, { kind: 'margin' });
    const logits = await dense.logits(indices);
    let checked = 0;
    for (let i = 0; i < 24; i++) {
      const q = oneMinusPFromLogits(logits, i * 10, 10, data.y[i]);
      // Where p_y ≈ 1 the reference itself is inexact (p_y − 1 in float32): that is why margins are not taken from it.
      if (q < 0.01) continue;
      checked++;
      let err = 0;
      let norm = 0;
      for (let p = 0; p < P; p++) {
        const want = ceAll[i * P + p];
        err += (want + q * margin[i * P + p]) ** 2;
        norm += want * want;
      }
      expect(Math.sqrt(err / norm)).toBeLessThan(1e-3);
    }
    expect(checked).toBeGreaterThan(3);
  });

  it('class-logit gradients combine into the cross-entropy gradient', async () => {
    const P = dense.paramCount;
    const logits = await dense.logits(indices);
    const combined = new Float64Array(24 * P);
    for (let c = 0; c < 10; c++) {
      const g = await collect(dense, { kind: 'logit', cls: c });
      for (let i = 0; i < 24; i++) {
        let z = 0;
        let max = -Infinity;
        for (let k = 0; k < 10; k++) max = Math.max(max, logits[i * 10 + k]);
        for (let k = 0; k < 10; k++) z += Math.exp(logits[i * 10 + k] - max);
        const w = Math.exp(logits[i * 10 + c] - max) / z - (c === data.y[i] ? 1 : 0);
        for (let p = 0; p < P; p++) combined[i * P + p] += w * g[i * P + p];
      }
    }
    let err = 0;
    let norm = 0;
    for (let j = 0; j < combined.length; j++) {
      err += (combined[j] - ceAll[j]) ** 2;
      norm += ceAll[j] ** 2;
    }
    expect(Math.sqrt(err / norm)).toBeLessThan(1e-3);
  });

  it('the batch-size-1 fallback gives the same gradients as the vectorised dense form', async () => {
    const last = params.slice(-2);
    const vec = new OnnxGradientSource(model, data, { params: last, chunk: 8 });
    const single = new OnnxGradientSource(model, data, { params: last, chunk: 8, forceSingle: true });
    try {
      const a = await collect(vec, { kind: 'margin' });
      const b = await collect(single, { kind: 'margin' });
      const P = vec.paramCount;
      for (let i = 0; i < 24; i++) for (let p = 0; p < P; p++) expect(b[i * P + p]).toBeCloseTo(a[i * P + p], 4);
    } finally {
      vec.release();
      single.release();
    }
  });

  it('rejects classes and examples that do not exist', async () => {
    const it1 = dense.gradients(indices, { kind: 'logit', cls: 10 })[Symbol.asyncIterator]();
    await expect(it1.next()).rejects.toThrow(/class 10 is outside 0..9/);
    const it2 = dense.gradients(Int32Array.of(24), { kind: 'margin' })[Symbol.asyncIterator]();
    await expect(it2.next()).rejects.toThrow(/example 24 is outside 0..23/);
    expect(() => new OnnxGradientSource(model, data, { params: ['nope'] })).toThrow(/"nope" is not an initializer/);
  });

  it('picks the classifier head for last-layer attribution', () => {
    const head = lastLayerParameters(model);
    expect(head).toEqual(params.slice(-2));
    const sizes = head.map((p) => model.graph.initializers.get(p)!.data.length).sort((a, b) => a - b);
    expect(sizes).toEqual([10, 2560]);
    expect(gradientParameters(model, 'all')).toEqual(params);
    expect(() => gradientParameters(model, 'some' as never)).toThrow(/must be all or last-layer/);
  });
});
