import { beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../../src/engine/data/types';
import type { Model } from '../../../src/engine/graph/ir';
import { logitsOf } from '../../../src/engine/methods/common/predict';
import { learnNoise, retainPerClass, unsir, withInputNoise } from '../../../src/engine/methods/unsir';
import { Predictor } from '../../../src/engine/runtime/predict';
import { Rng } from '../../../src/engine/util/rng';
import { acc, all, complement, context, ofClasses, smallSetting, snapshot, tenPercent, differing } from './helpers';

function meanCe(logits: Float32Array, k: number, label: number): number {
  let total = 0;
  const n = logits.length / k;
  for (let r = 0; r < n; r++) {
    const row = logits.subarray(r * k, (r + 1) * k);
    const max = Math.max(...row);
    const lse = max + Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0));
    total += lse - row[label];
  }
  return total / n;
}

describe('UNSIR', () => {
  let model: Model;
  let train: Dataset;
  let test: Dataset;
  beforeAll(async () => ({ model, train, test } = await smallSetting()));

  it('the noise wrapper feeds x + N to the model', async () => {
    const noise = Float32Array.from({ length: 2 * 784 }, (_, i) => (i % 7) / 7);
    const wrapped = withInputNoise(model, 2, noise);
    const x = Float32Array.from({ length: 2 * 784 }, (_, i) => (i % 5) / 5);
    const sum = x.map((v, i) => v + noise[i]);
    const p = await Predictor.create(wrapped, { batchSize: 2, threads: 1 });
    try {
      expect(await p.logits(x, 2)).toEqual(await logitsOf(model, sum, 2, 1));
    } finally {
      p.release();
    }
  });

  it('learnt noise maximises the loss of its class far beyond random noise', async () => {
    const labels = new Int32Array(32).fill(3);
    const rng = new Rng(1);
    const random = Float32Array.from({ length: 32 * 784 }, () => rng.normal()); // the noise's initial value
    const learnt = await learnNoise(model, 32, { kind: 'ce', labels }, { steps: 40, lr: 0.1, penalty: 0.1, rng: new Rng(1), threads: 1 });
    const before = meanCe(await logitsOf(model, random, 32, 1), 10, 3);
    const after = meanCe(await logitsOf(model, learnt, 32, 1), 10, 3);
    expect(after).toBeGreaterThan(before + 5);
  });

  it('keeps at most N retain examples per class', () => {
    const r = retainPerClass(train, all(train.n), 7);
    expect(r.length).toBe(70);
    for (let c = 0; c < 10; c++) expect(r.filter((i) => train.y[i] === c).length).toBe(7);
  });

  it('class mode forgets the class and keeps the others', async () => {
    const forget = ofClasses(train, [0]);
    const before = snapshot(model);
    const r = await unsir.run(context({ model, train, test, forget, retain: complement(train.n, forget), params: { noiseBatch: 64, noiseRepeats: 5, batchSize: 64, impairLr: 0.01, repairLr: 0.005 } }));
    expect(differing(snapshot(model), before)).toEqual([]);
    const t0 = ofClasses(test, [0]);
    const rest = complement(test.n, t0);
    const after0 = await acc(r.model, test, t0);
    const afterRest = await acc(r.model, test, rest);
    console.log(`unsir class: class-0 test acc ${(await acc(model, test, t0)).toFixed(3)} → ${after0.toFixed(3)}, others ${(await acc(model, test, rest)).toFixed(3)} → ${afterRest.toFixed(3)}`);
    expect(after0).toBeLessThan(0.2);
    expect(afterRest).toBeGreaterThan((await acc(model, test, rest)) - 0.1);
    expect(r.notes?.[0]).toMatch(/^class mode: 64 noise examples per forgotten class \(0\), ×5/);
  });

  it('instance mode runs on a random forget set and reports its cost', async () => {
    const forget = tenPercent(train);
    const r = await unsir.run(context({ model, train, test, forget, retain: complement(train.n, forget), params: { batchSize: 32, impairLr: 1e-3, repairLr: 1e-3 } }));
    expect(r.notes?.[0]).toMatch(/^instance mode/);
    // noise steps (5 per forget example) + impair (2 per forget example) + repair (the retain subset)
    expect(r.exampleGradients).toBe(5 * forget.length + 2 * forget.length + (train.n - forget.length));
    expect(await acc(r.model, test, all(test.n))).toBeGreaterThan(0.5);
  });
});
