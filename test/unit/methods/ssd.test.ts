import { beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../../src/engine/data/types';
import type { Model } from '../../../src/engine/graph/ir';
import { dampen, ssd, ssdImportances } from '../../../src/engine/methods/ssd';
import { Rng } from '../../../src/engine/util/rng';
import { complement, context, ofClasses, params, smallSetting, snapshot, differing } from './helpers';

describe('SSD dampening (pure)', () => {
  it('only shrinks: |θ′| ≤ |θ|, same sign, β = min(λ·I_D/I_F, 1) on selected entries', () => {
    const rng = new Rng(3);
    const n = 2000;
    const theta = Float32Array.from({ length: n }, () => rng.normal());
    const iF = Float32Array.from({ length: n }, () => rng.uniform() ** 3);
    const iD = Float32Array.from({ length: n }, (_, i) => (i % 7 === 0 ? 0 : rng.uniform() ** 3 / 5));
    const before = theta.slice();
    const selected = dampen(theta, iF, iD, 2, 1.5);
    let expected = 0;
    for (let j = 0; j < n; j++) {
      expect(Math.abs(theta[j])).toBeLessThanOrEqual(Math.abs(before[j]));
      expect(theta[j] * before[j]).toBeGreaterThanOrEqual(0);
      if (iF[j] > 2 * iD[j]) {
        expected++;
        expect(theta[j]).toBeCloseTo(before[j] * Math.min((1.5 * iD[j]) / iF[j], 1), 6);
      } else expect(theta[j]).toBe(before[j]);
    }
    expect(selected).toBe(expected);
    expect(selected).toBeGreaterThan(100);
  });

  it('selects nothing and changes nothing when I_F ≤ α·I_D everywhere', () => {
    const theta = Float32Array.of(1, -2, 3);
    expect(dampen(theta, Float32Array.of(1, 2, 3), Float32Array.of(1, 1, 1), 3, 1)).toBe(0);
    expect([...theta]).toEqual([1, -2, 3]);
  });
});

describe('SSD on a trained MLP', () => {
  let model: Model;
  let train: Dataset;
  let test: Dataset;
  beforeAll(async () => ({ model, train, test } = await smallSetting()));

  it('leaves the model bit-identical when nothing is selected', async () => {
    const forget = ofClasses(train, [0]);
    const r = await ssd.run(context({ model, train, test, forget, retain: complement(train.n, forget), params: { alpha: 1e6 } }));
    for (const [name, v] of params(model)) expect(params(r.model).get(name), name).toEqual(v);
    expect(r.notes?.[0]).toMatch(/^dampened 0 of/);
    expect(r.exampleGradients).toBe(forget.length + train.n);
  });

  it('shrinks some parameters for class forgetting and never grows or flips any', async () => {
    const forget = ofClasses(train, [0]);
    const before = snapshot(model);
    const r = await ssd.run(context({ model, train, test, forget, retain: complement(train.n, forget) }));
    expect(differing(snapshot(model), before)).toEqual([]); // θ₀ is never modified
    let changed = 0;
    for (const [name, v0] of params(model)) {
      const v1 = params(r.model).get(name)!;
      for (let i = 0; i < v0.length; i++) {
        expect(Math.abs(v1[i])).toBeLessThanOrEqual(Math.abs(v0[i]));
        expect(v1[i] * v0[i]).toBeGreaterThanOrEqual(0);
        if (v1[i] !== v0[i]) changed++;
      }
    }
    expect(changed).toBeGreaterThan(0);
  });

  it('repeats (the LoTUS behaviour, for comparison only) shrinks further and says so', async () => {
    const forget = ofClasses(train, [0]);
    const ctx = (p: Record<string, number>) => context({ model, train, test, forget, retain: complement(train.n, forget), params: p });
    const once = await ssd.run(ctx({ alpha: 3 }));
    const thrice = await ssd.run(ctx({ alpha: 3, repeats: 3 }));
    let further = 0;
    for (const [name, v1] of params(once.model)) {
      const v3 = params(thrice.model).get(name)!;
      for (let i = 0; i < v1.length; i++) {
        expect(Math.abs(v3[i])).toBeLessThanOrEqual(Math.abs(v1[i]));
        if (v3[i] !== v1[i]) further++;
      }
    }
    expect(further).toBeGreaterThan(0);
    expect(thrice.notes?.at(-1)).toMatch(/applied 3 times, reproducing the LoTUS repository/);
    expect(thrice.exampleGradients).toBe(3 * once.exampleGradients);
  });

  it('per-example importances (vectorised) equal minibatch importances with batch size 1', async () => {
    const forget = ofClasses(train, [0]).subarray(0, 40);
    const ctx = context({ model, train, test, forget, retain: complement(train.n, forget) });
    const a = await ssdImportances(ctx, model, forget, { batchSize: 1, importance: 'minibatch' });
    const b = await ssdImportances(ctx, model, forget, { batchSize: 64, importance: 'per-example' });
    const c = await ssdImportances(ctx, model, forget, { batchSize: 8, importance: 'minibatch' });
    let worst = 0;
    let differs = 0;
    for (const [name, va] of a) {
      const vb = b.get(name)!;
      const vc = c.get(name)!;
      let scale = 0;
      for (const v of va) scale = Math.max(scale, v);
      for (let i = 0; i < va.length; i++) {
        worst = Math.max(worst, Math.abs(va[i] - vb[i]) / scale);
        if (Math.abs(va[i] - vc[i]) > 1e-3 * scale) differs++;
      }
    }
    expect(worst).toBeLessThan(1e-4);
    expect(differs).toBeGreaterThan(1000); // minibatch importances do depend on the batch size
  });
});
