import { beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../../src/engine/data/types';
import type { Model } from '../../../src/engine/graph/ir';
import { predictedClasses } from '../../../src/engine/metrics/accuracy';
import { logitsOn } from '../../../src/engine/methods/common/predict';
import { gumbelSoftmax, lotus, lotusShouldStop, lotusTemperature, round2 } from '../../../src/engine/methods/lotus';
import { Rng } from '../../../src/engine/util/rng';
import { acc, all, complement, context, ofClasses, params, smallSetting, snapshot, tenPercent, differing } from './helpers';

describe('LoTUS temperature and stopping rule (pure)', () => {
  it('τ = exp(α(a_F − a_V)) is ≥ 1 whenever a_F ≥ a_V, and 1 at equality', () => {
    for (const alpha of [0, 2, 8]) {
      for (let aV = 0; aV <= 1; aV += 0.05) {
        for (let aF = aV; aF <= 1; aF += 0.05) expect(lotusTemperature(aF, aV, alpha)).toBeGreaterThanOrEqual(1);
        expect(lotusTemperature(aV, aV, alpha)).toBe(1);
      }
    }
    expect(lotusTemperature(1, 0.9, 8)).toBeCloseTo(Math.exp(0.8), 12);
    expect(lotusTemperature(0.5, 0.9, 2)).toBeLessThan(1);
  });

  it('stops as soon as a_F ≤ a_V − 0.01 on two-decimal values, immune to float error', () => {
    expect(lotusShouldStop(0.29, 0.3)).toBe(true); // 0.29 − 0.30 = −0.00999… in floating point
    expect(lotusShouldStop(0.57, 0.58)).toBe(true);
    expect(lotusShouldStop(0.58, 0.58)).toBe(false);
    expect(lotusShouldStop(0.9, 0.3)).toBe(false);
    expect(lotusShouldStop(0, 0)).toBe(false); // class forgetting (a_V = 0) never stops
    expect(round2(0.8149)).toBe(0.81);
    expect(round2(0.815)).toBe(0.82);
  });

  it('Gumbel-softmax: soft rows sum to 1 and flatten with τ; hard rows are one-hot draws from softmax(z)', () => {
    const z = Float32Array.of(2, 0, -1);
    const rng = new Rng(9);
    const out = new Float32Array(3);
    gumbelSoftmax(z, 3, 1, false, rng, out);
    expect(out.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    gumbelSoftmax(z, 3, 1e6, false, rng, out);
    for (const v of out) expect(v).toBeCloseTo(1 / 3, 4);
    const counts = [0, 0, 0];
    const n = 20000;
    for (let i = 0; i < n; i++) {
      gumbelSoftmax(z, 3, 1, true, rng, out);
      expect(out.reduce((a, b) => a + b, 0)).toBe(1);
      counts[out.indexOf(1)]++;
    }
    const e = [Math.exp(2), 1, Math.exp(-1)];
    const s = e.reduce((a, b) => a + b, 0);
    counts.forEach((c, k) => expect(c / n).toBeCloseTo(e[k] / s, 1.5));
  });
});

describe('LoTUS on a trained MLP', () => {
  let model: Model;
  let train: Dataset;
  let test: Dataset;
  beforeAll(async () => ({ model, train, test } = await smallSetting()));

  it('class forgetting (a_V = 0) runs every epoch with τ > 1 and lowers forget accuracy', async () => {
    const forget = ofClasses(train, [0]);
    const before = snapshot(model);
    const r = await lotus.run(context({ model, train, test, forget, retain: complement(train.n, forget), params: { epochs: 3, lr: 1e-3, batchSize: 64 } }));
    expect(differing(snapshot(model), before)).toEqual([]);
    expect(r.notes).toContain('class forgetting, a_V = 0');
    expect(r.notes).toContain('ran 3 of 3 epochs');
    const taus = r.notes!.filter((n) => n.startsWith('epoch ')).map((n) => Number(/τ = ([\d.]+)/.exec(n)![1]));
    expect(taus).toHaveLength(3);
    for (const t of taus) expect(t).toBeGreaterThan(1);
    expect(await acc(r.model, train, forget)).toBeLessThan(await acc(model, train, forget));
  });

  it('stops before the first epoch when forget accuracy is already below unseen accuracy, returning θ₀', async () => {
    // Forget set = training examples θ₀ gets wrong (a_F = 0); validation = test examples (a_V ≈ 0.7).
    const pred = predictedClasses(await logitsOn(model, train, all(train.n), 1), 10);
    const wrong = Int32Array.from([...all(train.n)].filter((i) => pred[i] !== train.y[i]));
    expect(wrong.length).toBeGreaterThan(5);
    const r = await lotus.run(context({ model, train, test, forget: wrong, retain: complement(train.n, wrong), validation: all(test.n), params: { epochs: 3, mode: 'instance' } }));
    expect(r.notes, JSON.stringify(r.notes)).toContainEqual(expect.stringMatching(/stopped before epoch 1: a_F = 0.00/));
    expect(r.notes).toContain('ran 0 of 3 epochs');
    expect(r.exampleGradients).toBe(0);
    for (const [name, v] of params(model)) expect(params(r.model).get(name)).toEqual(v);
  });

  it('instance-wise LoTUS needs a validation set', async () => {
    const forget = tenPercent(train);
    await expect(lotus.run(context({ model, train, test, forget, retain: complement(train.n, forget) }))).rejects.toThrow(/validation set is empty/);
  });

  it('the LoTUS + SalUn variant moves only the salient entries', async () => {
    const forget = ofClasses(train, [0]);
    const r = await lotus.run(context({ model, train, test, forget, retain: complement(train.n, forget), params: { epochs: 2, lr: 1e-3, batchSize: 64, maskFraction: 0.1, alpha: 2 } }));
    let moved = 0;
    let total = 0;
    for (const [name, v0] of params(model)) {
      const v1 = params(r.model).get(name)!;
      total += v0.length;
      for (let i = 0; i < v0.length; i++) if (v1[i] !== v0[i]) moved++;
    }
    expect(moved).toBeGreaterThan(0.05 * total);
    expect(moved).toBeLessThanOrEqual(Math.round(0.1 * total));
    expect(r.notes).toContainEqual(expect.stringMatching(/SalUn mask: top 10%/));
  });
});
