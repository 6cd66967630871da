import { beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../../src/engine/data/types';
import type { Model } from '../../../src/engine/graph/ir';
import { del, delPrepare, delSelect } from '../../../src/engine/methods/del';
import { forEachUnit, unitLayouts } from '../../../src/engine/methods/common/select';
import { Rng } from '../../../src/engine/util/rng';
import { context, differing, mlp, params, smallForgetSetting, snapshot } from './helpers';

describe('DEL selection (pure)', () => {
  it('gives every entry of an output unit the same mask, along the layout\'s unit axis', () => {
    const model = mlp([12], [8], 5, 1, { secondLayerTfjs: true }); // fc1.weight is [8, 5], units on axis 1
    const rng = new Rng(2);
    const scores = new Map<string, Float32Array>();
    for (const [name, v] of params(model)) scores.set(name, v.map(() => rng.uniform()));
    for (const mode of ['reference', 'row-top10', 'mean']) {
      const masks = delSelect(model, scores, 0.4, mode);
      const total = [...masks.values()].reduce((s, m) => s + m.length, 0);
      const chosen = [...masks.values()].reduce((s, m) => s + m.reduce((a, b) => a + b, 0), 0);
      expect(chosen).toBe(Math.round(0.4 * total));
      // Every entry of a unit shares its score, so at most one unit (the one the exact count cuts) is mixed.
      let mixed = 0;
      let units = 0;
      for (const [name, layout] of unitLayouts(model)) {
        forEachUnit(layout, (_u, entries) => {
          units++;
          const vals = new Set([...entries].map((i) => masks.get(name)![i]));
          if (vals.size > 1) mixed++;
        });
      }
      expect(units).toBe(8 + 5);
      expect(mixed, mode).toBeLessThanOrEqual(1);
    }
  });

  it('"element" mode keeps element-wise scores', () => {
    const model = mlp([4], [3], 2, 1);
    const scores = new Map([...params(model)].map(([n, v]) => [n, v.map((_, i) => (n === 'fc0.weight' && i === 5 ? 100 : 0))]));
    const m = delSelect(model, scores, 1 / 29, 'element'); // 29 entries, 1 chosen
    expect([...m.get('fc0.weight')!].map((v, i) => (v ? i : -1)).filter((i) => i >= 0)).toEqual([5]);
  });
});

describe('DEL on a trained MLP', () => {
  let model: Model;
  let train: Dataset;
  let test: Dataset;
  let forget: Int32Array;
  let retain: Int32Array;
  beforeAll(async () => {
    ({ model, train, test, forget, retain } = await smallForgetSetting());
  });

  it('resets exactly the selected entries to the fresh initialisation and makes the head trainable', async () => {
    const prep = await delPrepare(context({ model, train, test, forget, retain }), { threshold: 0.3, channelScore: 'reference', scoreBatchSize: 128 });
    const p0 = params(model);
    const p1 = params(prep.model);
    let selected = 0;
    for (const [name, m] of prep.selected) {
      const fresh = prep.fresh.get(name)!;
      for (let i = 0; i < m.length; i++) {
        if (m[i]) {
          selected++;
          expect(p1.get(name)![i]).toBe(fresh[i]);
        } else expect(p1.get(name)![i]).toBe(p0.get(name)![i]);
      }
    }
    expect(selected).toBe(Math.round(0.3 * [...prep.selected.values()].reduce((s, m) => s + m.length, 0)));
    expect(prep.masks.get('fc1.weight')!.every((v) => v === 1)).toBe(true);
    expect(prep.masks.get('fc1.bias')!.every((v) => v === 1)).toBe(true);
    expect(prep.exampleGradients).toBe(forget.length);
  });

  it('fine-tuning moves only selected entries and the head; frozen entries stay bit-identical under momentum and weight decay', async () => {
    const before = snapshot(model);
    const runParams = { epochs: 2, lr: 0.05, weightDecay: 5e-4, batchSize: 64 };
    const prep = await delPrepare(context({ model, train, test, forget, retain, params: runParams }), { threshold: 0.3, channelScore: 'reference', scoreBatchSize: 128 });
    const r = await del.run(context({ model, train, test, forget, retain, params: runParams }));
    expect(differing(snapshot(model), before)).toEqual([]);
    const p1 = params(r.model);
    let frozen = 0;
    let moved = 0;
    for (const [name, v0] of before) {
      const sel = prep.selected.get(name)!;
      const isHead = name.startsWith('fc1.');
      for (let i = 0; i < v0.length; i++) {
        if (!sel[i] && !isHead) {
          frozen++;
          expect(p1.get(name)![i]).toBe(v0[i]);
        } else if (p1.get(name)![i] !== params(prep.model).get(name)![i]) moved++;
      }
    }
    expect(frozen).toBeGreaterThan(1000);
    expect(moved).toBeGreaterThan(100);
    expect(r.notes?.[0]).toMatch(/reset and fine-tuned \d+ of \d+ parameter entries .* classifier head \(fc1.weight, fc1.bias\)/);
  });
});
