import { beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../../src/engine/data/types';
import type { Model } from '../../../src/engine/graph/ir';
import { globalTopFraction } from '../../../src/engine/methods/common/select';
import { fisher, meanOverInputAxis } from '../../../src/engine/methods/fisher';
import { softThreshold, l1Sparse } from '../../../src/engine/methods/l1Sparse';
import { negGradPlus } from '../../../src/engine/methods/negGradPlus';
import { retrain } from '../../../src/engine/methods/retrain';
import { forgetSaliency, salun } from '../../../src/engine/methods/salun';
import { scrub, scrubLr } from '../../../src/engine/methods/scrub';
import { gradientAscent } from '../../../src/engine/methods/gradientAscent';
import { badTeacher } from '../../../src/engine/methods/badTeacher';
import { randomLabel } from '../../../src/engine/methods/randomLabel';
import { finetune } from '../../../src/engine/methods/finetune';
import { forgottenClasses, randomOtherLabel } from '../../../src/engine/methods/common/data';
import { Rng } from '../../../src/engine/util/rng';
import { logitsOn } from '../../../src/engine/methods/common/predict';
import { acc, complement, context, differing, mlp, ofClasses, params, RECIPE, smallForgetSetting, snapshot } from './helpers';

describe('pure pieces of the baselines', () => {
  it('soft-thresholding is the L1 proximal step', () => {
    const t = Float32Array.of(0.5, -0.5, 0.05, -0.05, 0);
    softThreshold(t, 0.1);
    expect([...t].map((v) => Math.round(v * 1e6) / 1e6)).toEqual([0.4, -0.4, 0, 0, 0]);
  });

  it('SCRUB decays the lr ×0.1 after epochs 3, 5 and 9 (1-based)', () => {
    const expected = [1, 1, 1, 0.1, 0.1, 0.01, 0.01, 0.001];
    [1, 2, 3, 4, 5, 6, 9, 10].forEach((e, i) => expect(scrubLr(1, e)).toBeCloseTo(expected[i], 12));
  });

  it('random other labels are uniform over the K − 1 wrong classes', () => {
    const rng = new Rng(1);
    const counts = new Array(5).fill(0);
    for (let i = 0; i < 40000; i++) counts[randomOtherLabel(2, 5, rng)]++;
    expect(counts[2]).toBe(0);
    for (const c of [0, 1, 3, 4]) expect(counts[c] / 40000).toBeCloseTo(0.25, 1.5);
  });

  it('Fisher variances are averaged over the input axis of each layout', () => {
    // [out 2, in 3] (PyTorch) → mean over axis 1; [in 3, out 2] (TF.js) → mean over axis 0.
    expect([...meanOverInputAxis(Float32Array.of(1, 2, 3, 4, 5, 6), { dims: [2, 3], axis: 0 })]).toEqual([2, 2, 2, 5, 5, 5]);
    expect([...meanOverInputAxis(Float32Array.of(1, 2, 3, 4, 5, 6), { dims: [3, 2], axis: 1 })]).toEqual([3, 4, 3, 4, 3, 4]);
    // Conv [out 1, in 2, 1, 2]: mean over the input channels per kernel position.
    expect([...meanOverInputAxis(Float32Array.of(1, 2, 3, 6), { dims: [1, 2, 1, 2], axis: 0 })]).toEqual([2, 4, 2, 4]);
  });
});

describe('baselines on a trained MLP', () => {
  let model: Model;
  let train: Dataset;
  let test: Dataset;
  let forget: Int32Array;
  let retain: Int32Array;
  beforeAll(async () => {
    ({ model, train, test, forget, retain } = await smallForgetSetting());
  });

  it('SalUn: entries outside the saliency mask stay bit-identical under momentum and weight decay', async () => {
    const p = { maskFraction: 0.2, epochs: 2, lr: 0.05, batchSize: 64, saliencyBatchSize: 64 };
    const ctx = context({ model, train, test, forget, retain, params: p });
    const { saliency } = await forgetSaliency(ctx, 64);
    const masks = globalTopFraction(saliency, 0.2);
    const before = snapshot(model);
    const r = await salun.run(context({ model, train, test, forget, retain, params: p }));
    expect(differing(snapshot(model), before)).toEqual([]);
    let frozen = 0;
    let moved = 0;
    for (const [name, v0] of before) {
      const v1 = params(r.model).get(name)!;
      const m = masks.get(name)!;
      for (let i = 0; i < v0.length; i++) {
        if (!m[i]) {
          frozen++;
          expect(v1[i]).toBe(v0[i]);
        } else if (v1[i] !== v0[i]) moved++;
      }
    }
    expect(frozen).toBeGreaterThan(10000);
    expect(moved).toBeGreaterThan(1000);
    expect(r.notes?.[0]).toMatch(/saliency mask: \d+ of 25450 parameter entries trainable \(20.0%\)/);
  });

  it('Fisher forgetting with α = 0 changes nothing for a random forget set', async () => {
    const r = await fisher.run(context({ model, train, test, forget, retain, params: { alpha: 0, batchSize: 64 } }));
    for (const [name, v] of params(model)) expect(params(r.model).get(name), name).toEqual(v);
    expect(r.exampleGradients).toBe(10 * retain.length);
  });

  it('Fisher forgetting of a class resets that class\'s head row to near 0 and leaves the rest to the noise', async () => {
    const f0 = ofClasses(train, [0]);
    expect(forgottenClasses(train, f0)).toEqual([0]);
    const r = await fisher.run(context({ model, train, test, forget: f0, retain: complement(train.n, f0), params: { alpha: 0, batchSize: 64 } }));
    const w0 = params(model).get('fc1.weight')!;
    const w1 = params(r.model).get('fc1.weight')!;
    for (let i = 0; i < 32; i++) expect(Math.abs(w1[i])).toBeLessThan(0.2); // row 0: N(0, 1e-3)
    expect([...w1.subarray(32)]).toEqual([...w0.subarray(32)]);
    expect(await acc(r.model, test, ofClasses(test, [0]))).toBeLessThan(0.5);
  });

  it('Fisher forgetting with α > 0 perturbs every parameter, most where the retain set constrains least', async () => {
    const r = await fisher.run(context({ model, train, test, forget, retain, params: { alpha: 1e-6, batchSize: 64 } }));
    let changed = 0;
    for (const [name, v0] of params(model)) {
      const v1 = params(r.model).get(name)!;
      for (let i = 0; i < v0.length; i++) if (v1[i] !== v0[i]) changed++;
    }
    expect(changed).toBeGreaterThan(25000);
    expect(await acc(r.model, test, Int32Array.from({ length: test.n }, (_, i) => i))).toBeGreaterThan(0.5);
  });

  it('SCRUB "lotus-noop" returns the original; the correct SCRUB changes it', async () => {
    const noop = await scrub.run(context({ model, train, test, forget, retain, params: { reference: 'lotus-noop' } }));
    expect(noop.model).toBe(model);
    expect(noop.exampleGradients).toBe(0);
    const real = await scrub.run(context({ model, train, test, forget, retain, params: { epochs: 1, maxSteps: 1, lr: 0.01 } }));
    expect(real.exampleGradients).toBe(forget.length + retain.length);
    expect(params(real.model).get('fc0.weight')).not.toEqual(params(model).get('fc0.weight'));
  });

  it('retrain does not depend on the original\'s weights, only on the architecture, the recipe and the seed', async () => {
    const other = mlp([1, 28, 28], [32], 10, 99);
    const ctxA = context({ model, train, test, forget, retain, recipe: { ...RECIPE, epochs: 1 } });
    const ctxB = context({ model: other, train, test, forget, retain, recipe: { ...RECIPE, epochs: 1 } });
    const a = await retrain.run(ctxA);
    const b = await retrain.run(ctxB);
    for (const [name, v] of params(a.model)) expect(params(b.model).get(name), name).toEqual(v);
    expect(a.exampleGradients).toBe(retain.length);
  });

  it('NegGrad+ raises the forget loss relative to finetune with the same settings', async () => {
    const common = { epochs: 2, lr: 0.02, batchSize: 64 };
    const ng = await negGradPlus.run(context({ model, train, test, forget, retain, params: { ...common, forgetBatchSize: 16, beta: 0.5 } }));
    const ft = await finetune.run(context({ model, train, test, forget, retain, params: common }));
    expect(await acc(ng.model, train, forget)).toBeLessThan(await acc(ft.model, train, forget));
    const lotusRef = await negGradPlus.run(context({ model, train, test, forget, retain, params: { ...common, reference: 'lotus' } }));
    expect(lotusRef.notes?.[0]).toMatch(/forget pass was descent/);
    expect(await acc(lotusRef.model, train, forget)).toBeGreaterThan(await acc(ng.model, train, forget));
  });

  it('gradient ascent, random label, bad teacher and l1-sparse run and move the model', async () => {
    const ga = await gradientAscent.run(context({ model, train, test, forget, retain, params: { lr: 0.01, epochs: 2, batchSize: 16 } }));
    expect(await acc(ga.model, train, forget)).toBeLessThan(await acc(model, train, forget));
    expect(ga.exampleGradients).toBe(2 * forget.length);
    const rl = await randomLabel.run(context({ model, train, test, forget, retain, params: { lr: 0.02, epochs: 2, batchSize: 64 } }));
    expect(rl.exampleGradients).toBe(2 * train.n);
    const bt = await badTeacher.run(context({ model, train, test, forget, retain, params: { lr: 1e-3, epochs: 2, batchSize: 32 } }));
    expect(bt.exampleGradients).toBe(2 * (forget.length + Math.round(0.3 * retain.length)));
    // Forget predictions move toward the incompetent (near-uniform) teacher: their entropy rises.
    expect(await meanEntropy(bt.model, train, forget)).toBeGreaterThan((await meanEntropy(model, train, forget)) + 0.1);
    const l1 = await l1Sparse.run(context({ model, train, test, forget, retain, params: { gamma: 0.1, epochs: 2, batchSize: 64 } }));
    const zeros = [...params(l1.model).values()].reduce((s, v) => s + v.filter((x) => x === 0).length, 0);
    expect(zeros).toBeGreaterThan(1000);
    expect(l1.notes?.[0]).toMatch(/% of parameter entries are exactly 0/);
  });
});

async function meanEntropy(model: Model, ds: Dataset, idx: Int32Array): Promise<number> {
  const z = await logitsOn(model, ds, idx, 1);
  let total = 0;
  for (let r = 0; r < idx.length; r++) {
    const row = z.subarray(r * 10, r * 10 + 10);
    const max = Math.max(...row);
    const e = row.map((v) => Math.exp(v - max));
    const s = e.reduce((a, b) => a + b, 0);
    total -= e.reduce((h, v) => h + (v / s) * Math.log(v / s + 1e-30), 0);
  }
  return total / idx.length;
}
