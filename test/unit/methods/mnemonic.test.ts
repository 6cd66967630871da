import { beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../../src/engine/data/types';
import type { Model } from '../../../src/engine/graph/ir';
import { logitsOf } from '../../../src/engine/methods/common/predict';
import { codeAccuracies, FisherSum, mnemonic, mnemonicPerturbation, preferredCandidate } from '../../../src/engine/methods/mnemonic';
import { generateMnemonicCodes, mnemonicCodesOf, MNEMONIC_METADATA_KEY, trainWithMnemonicCodes } from '../../../src/engine/methods/mnemonicCodes';
import { withParameters } from '../../../src/engine/train/params';
import { LetheError } from '../../../src/engine/util/errors';
import { Rng } from '../../../src/engine/util/rng';
import { acc, all, complement, context, fixtureData, mlp, ofClasses, params, RECIPE, snapshot, tenPercent, differing } from './helpers';

describe('mnemonic perturbation (pure)', () => {
  it('bounds every step by min(λ₁·max ρ, λ₂) and reaches the bound', () => {
    const rng = new Rng(5);
    for (const [l1, l2] of [[1e-3, 10], [1e-3, 1e-4], [1, 1e-2]]) {
      const fF = Float32Array.from({ length: 500 }, () => rng.uniform() ** 4 + 1e-16);
      const fR = Float32Array.from({ length: 500 }, () => rng.uniform() ** 4 + 1e-16);
      const { rho, scale } = mnemonicPerturbation(fF, fR, l1, l2);
      const maxRho = Math.max(...rho);
      const maxStep = Math.max(...rho.map((r) => r * scale));
      expect(maxStep).toBeLessThanOrEqual(Math.min(l1 * maxRho, l2) * (1 + 1e-6));
      expect(maxStep).toBeCloseTo(Math.min(l1 * maxRho, l2), 5);
      for (let i = 0; i < rho.length; i++) expect(Math.abs(rho[i] / (fF[i] / fR[i]) - 1)).toBeLessThan(1e-5);
    }
  });

  it('maps NaN ratios to 1 and infinite ones to the largest finite ratio', () => {
    const { rho } = mnemonicPerturbation(Float32Array.of(NaN, 1e30, 4, 1), Float32Array.of(1, 1e-16, 1, 1), 1, 1);
    expect(rho[0]).toBe(1);
    expect(rho[1]).toBe(4);
    expect([...rho.slice(2)]).toEqual([4, 1]);
  });

  it('Fisher means start the sum at 1e-16 and divide after, as the reference: where every code gradient is 0, ρ is the ratio of the class counts', () => {
    // One forgotten class, nine kept, an entry no code's gradient reaches (a dead ReLU unit).
    const fF = new FisherSum(2);
    const fR = new FisherSum(2);
    fF.add(Float32Array.of(0, 2));
    for (let c = 0; c < 9; c++) fR.add(Float32Array.of(0, 1));
    expect(fF.mean()[0]).toBeCloseTo(1e-16, 22);
    expect(fR.mean()[0]).toBeCloseTo(1e-16 / 9, 22);
    expect(fF.mean()[1]).toBe(Math.fround(4 + 1e-16));
    expect(fR.mean()[1]).toBe(Math.fround(9 / 9));
    // ρ = F_f / F_r = 9 on the dead entry (adding 1e-16 after the mean would give 1).
    const { rho } = mnemonicPerturbation(fF.mean(), fR.mean(), 1, 1e9);
    expect(rho[0]).toBeCloseTo(9, 4);
    expect(rho[1]).toBeCloseTo(4, 4);
  });

  it('a tie on the codes keeps θ − s·ρ; θ + s·ρ only when it scores strictly higher', () => {
    expect(preferredCandidate(1.5, 1.5)).toBe('−');
    expect(preferredCandidate(1.6, 1.5)).toBe('+');
    expect(preferredCandidate(1.4, 1.5)).toBe('−');
  });

  it('code accuracies split forgotten and kept codes', () => {
    // 3 classes; rows = logits of codes 0, 1, 2. Code 0 → 0 (right), code 1 → 2 (wrong), code 2 → 2 (right).
    const logits = Float32Array.of(5, 0, 0, 0, 1, 2, 0, 0, 3);
    expect(codeAccuracies(logits, 3, new Set([0]))).toEqual({ forget: 1, kept: 0.5 });
    expect(codeAccuracies(logits, 3, new Set([1]))).toEqual({ forget: 0, kept: 1 });
  });

  it('codes are U[0,1) and reproducible from their seed', () => {
    const a = generateMnemonicCodes(10, [1, 28, 28], 42);
    expect(a.length).toBe(7840);
    expect(a).toEqual(generateMnemonicCodes(10, [1, 28, 28], 42));
    expect(Math.min(...a)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...a)).toBeLessThan(1);
    const mean = a.reduce((s, v) => s + v, 0) / a.length;
    expect(mean).toBeGreaterThan(0.48);
    expect(mean).toBeLessThan(0.52);
  });
});

describe('mnemonic code training and one-shot forgetting', () => {
  let model: Model;
  let train: Dataset;
  let test: Dataset;
  beforeAll(async () => {
    ({ train, test } = await fixtureData(1000, 500));
    const r = await trainWithMnemonicCodes(mlp([1, 28, 28], [64], 10, 3), train, all(train.n), { recipe: { ...RECIPE, epochs: 8 }, tMix: 0.1, codeSeed: 11, rng: new Rng(3), threads: 1 });
    model = r.model;
    expect(r.codes).toEqual(generateMnemonicCodes(10, [1, 28, 28], 11));
  });

  it('the trained model records its codes and has learnt them', async () => {
    expect(JSON.parse(model.metadata[MNEMONIC_METADATA_KEY])).toEqual({ seed: 11, classes: 10, exampleShape: [1, 28, 28], tMix: 0.1 });
    const { codes } = mnemonicCodesOf(model, train);
    expect(codeAccuracies(await logitsOf(model, codes, 10, 1), 10, new Set()).kept).toBe(1);
  });

  it('forgets a class in one step: signed step bounded by λ₂, the better sign on the codes, test accuracy kept elsewhere', async () => {
    const forget = ofClasses(train, [0]);
    const before = snapshot(model);
    const r = await mnemonic.run(context({ model, train, test, forget, retain: complement(train.n, forget) }));
    expect(differing(snapshot(model), before)).toEqual([]);
    // Δθ = ±s·ρ with ρ > 0: one sign for every entry of every tensor, and |Δθ| ≤ λ₂ per tensor.
    let pos = 0;
    let neg = 0;
    const reflected = new Map<string, Float32Array>();
    for (const [name, v0] of before) {
      const v1 = params(r.model).get(name)!;
      for (let i = 0; i < v0.length; i++) {
        const d = v1[i] - v0[i];
        if (d > 0) pos++;
        if (d < 0) neg++;
        expect(Math.abs(d)).toBeLessThanOrEqual(10 + 1e-5);
      }
      reflected.set(name, v0.map((v, i) => 2 * v - v1[i]));
    }
    expect(Math.min(pos, neg)).toBe(0);
    expect(pos + neg).toBeGreaterThan(0);
    // The chosen sign scores at least as well on the codes as the other one.
    const { codes } = mnemonicCodesOf(model, train);
    const score = async (m: Model) => {
      const a = codeAccuracies(await logitsOf(m, codes, 10, 1), 10, new Set([0]));
      return 1 - a.forget + a.kept;
    };
    expect(await score(r.model)).toBeGreaterThanOrEqual(await score(withParameters(model, reflected)));
    // Behaviour on real test data: class 0 forgotten, the other classes within 10 points.
    const test0 = ofClasses(test, [0]);
    const testRest = complement(test.n, test0);
    const before0 = await acc(model, test, test0);
    const after0 = await acc(r.model, test, test0);
    const beforeRest = await acc(model, test, testRest);
    const afterRest = await acc(r.model, test, testRest);
    console.log(`mnemonic: class-0 test acc ${before0.toFixed(3)} → ${after0.toFixed(3)}, others ${beforeRest.toFixed(3)} → ${afterRest.toFixed(3)}`, r.notes);
    expect(before0).toBeGreaterThan(0.5);
    expect(after0).toBeLessThan(0.1);
    expect(afterRest).toBeGreaterThan(beforeRest - 0.1);
  });

  it('small λ₂ caps the step; both candidates then tie on the codes and θ − s·ρ is kept', async () => {
    const forget = ofClasses(train, [0]);
    const r = await mnemonic.run(context({ model, train, test, forget, retain: complement(train.n, forget), params: { lambda2: 1e-6 } }));
    let moved = 0;
    for (const [name, v0] of params(model)) {
      const v1 = params(r.model).get(name)!;
      for (let i = 0; i < v0.length; i++) {
        expect(Math.abs(v1[i] - v0[i])).toBeLessThanOrEqual(1e-6 + 2.5e-7 * Math.abs(v0[i]));
        expect(v1[i]).toBeLessThanOrEqual(v0[i]); // ρ > 0: the minus candidate never raises a weight
        if (v1[i] !== v0[i]) moved++;
      }
    }
    expect(moved).toBeGreaterThan(0);
    expect(r.notes?.some((n) => n.startsWith('candidate θ − s·ρ') && n.endsWith('(chosen)'))).toBe(true);
  });

  it('refuses models without codes and forget sets that are not whole classes', async () => {
    const plain = { ...model, metadata: {} };
    const forget = ofClasses(train, [0]);
    await expect(mnemonic.run(context({ model: plain, train, test, forget, retain: complement(train.n, forget) }))).rejects.toThrow(/not trained with mnemonic codes/);
    const partial = tenPercent(train);
    await expect(mnemonic.run(context({ model, train, test, forget: partial, retain: complement(train.n, partial) }))).rejects.toThrow(LetheError);
    await expect(mnemonic.run(context({ model, train, test, forget: partial, retain: complement(train.n, partial) }))).rejects.toThrow(/whole classes only/);
  });
});
