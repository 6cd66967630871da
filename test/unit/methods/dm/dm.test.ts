/**
 * Oracle Matching, DMM and DM-Direct on a small MLP (784-32-10 on 500 Fashion-MNIST examples, 5 epochs):
 * each must move the forget-set logits towards its targets (oracle logits for OM, DM-Direct predictions for
 * DMM), measured by MSE before and after, and leave θ₀ untouched.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { dmDirectOutputs } from '../../../../src/engine/attribution/dmDirectTargets';
import { marginOf } from '../../../../src/engine/attribution/gradientSource';
import type { Dataset } from '../../../../src/engine/data/types';
import type { Model } from '../../../../src/engine/graph/ir';
import { logitsOn } from '../../../../src/engine/methods/common/predict';
import { dmDirect } from '../../../../src/engine/methods/dmDirect';
import { getModelMethod } from '../../../../src/engine/methods/registry';
import { isPredictionOnly } from '../../../../src/engine/methods/types';
import { dmm } from '../../../../src/engine/methods/dmm';
import { fineTuneSet, oracleMatching } from '../../../../src/engine/methods/oracleMatching';
import { trainSupervised } from '../../../../src/engine/train/supervised';
import { LetheError } from '../../../../src/engine/util/errors';
import { Rng } from '../../../../src/engine/util/rng';
import { all, complement, context, mlp, RECIPE, smallSetting, snapshot, tenPercent } from '../helpers';

let model: Model;
let train: Dataset;
let test: Dataset;
let forget: Int32Array;
let retain: Int32Array;
let oracle: Model;

function mse(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return s / a.length;
}

beforeAll(async () => {
  ({ model, train, test } = await smallSetting(1));
  forget = tenPercent(train);
  retain = complement(train.n, forget);
  // The oracle: the same recipe from a fresh initialisation on R only.
  ({ model: oracle } = await trainSupervised(mlp([1, 28, 28], [32], 10, 2), train, retain, { recipe: { ...RECIPE, epochs: 5 }, rng: new Rng(2), threads: 1 }));
});

describe('Oracle Matching', () => {
  it('moves the forget-set logits towards the oracle and leaves θ₀ untouched', async () => {
    const before = snapshot(model);
    const params = { lr: 1e-3, epochs: 30, batchSize: 64 };
    const result = await oracleMatching.run(context({ model, train, test, forget, retain, oracles: [oracle], params }));
    const target = await logitsOn(oracle, train, forget, 1);
    const mseBefore = mse(await logitsOn(model, train, forget, 1), target);
    const mseAfter = mse(await logitsOn(result.model, train, forget, 1), target);
    const heldBefore = mse(await logitsOn(model, test, all(test.n), 1), await logitsOn(oracle, test, all(test.n), 1));
    const heldAfter = mse(await logitsOn(result.model, test, all(test.n), 1), await logitsOn(oracle, test, all(test.n), 1));
    console.log(`OM: forget-set MSE to oracle logits ${mseBefore.toFixed(4)} → ${mseAfter.toFixed(4)}; test-set ${heldBefore.toFixed(4)} → ${heldAfter.toFixed(4)}; ${result.notes?.join('; ')}`);
    expect(mseAfter).toBeLessThan(0.5 * mseBefore);
    // Matching on F ∪ R′ generalises to unseen points (the paper's point): the test set moves towards the oracle too.
    expect(heldAfter).toBeLessThan(heldBefore);
    // Every epoch passes once over D_ft = F ∪ R′ with |R′| = 3|F|.
    expect(result.exampleGradients).toBe(30 * 4 * forget.length);
    for (const [name, v] of snapshot(model)) expect(v).toEqual(before.get(name));
  });

  it('builds F × f_mult ∪ R′ with a fractional repeat of the leading part of F', () => {
    const f = Int32Array.of(1, 2, 3, 4);
    const r = Int32Array.from({ length: 100 }, (_, i) => 10 + i);
    const { all: set, retainSample } = fineTuneSet(f, r, 1.5, 3, new Rng(1));
    expect(retainSample.length).toBe(12);
    expect(new Set(retainSample).size).toBe(12);
    for (const i of retainSample) expect(i).toBeGreaterThanOrEqual(10);
    expect(Array.from(set.subarray(0, 6))).toEqual([1, 2, 3, 4, 1, 2]);
    expect(fineTuneSet(f, r.subarray(0, 5), 1, 3, new Rng(1)).retainSample.length).toBe(5); // capped at |R|
  });

  it('refuses to run without oracles, naming the cause', async () => {
    await expect(oracleMatching.run(context({ model, train, test, forget, retain }))).rejects.toThrow(/needs at least one oracle model/);
    await expect(oracleMatching.run(context({ model, train, test, forget, retain, oracles: [oracle], params: { oracleCount: 3 } }))).rejects.toThrow(/oracleCount = 3 but only 1/);
  });
});

describe('DMM', () => {
  it('moves the forget-set logits towards its DM-Direct targets', async () => {
    const params = { lr: 1e-3, epochs: 20, batchSize: 128, projDim: 512, retainMultiplier: 5 };
    const ctx = context({ model, train, test, forget, retain, params, rng: new Rng(11) });
    const result = await dmm.run(ctx);
    // Recompute the targets the run used: same rng sequence (R′ sample, then the projection seed).
    const rng = new Rng(11);
    const { all: set } = fineTuneSet(forget, retain, 5, 5, rng);
    const examples = Int32Array.from(new Set(set));
    const outputs = await dmDirectOutputs(model, train, forget, Int32Array.from(new Set([...forget, ...retain])), train, examples, {
      projDim: 512, projection: 'rademacher', seed: rng.nextU32(), damping: 1e-3, kernel: 'trak', multiplier: 1, threads: 1,
    });
    const K = 10;
    const pos = new Map(Array.from(examples, (v, i) => [v, i]));
    const targetF = new Float32Array(forget.length * K);
    forget.forEach((i, r) => targetF.set(outputs.predicted.subarray(pos.get(i)! * K, (pos.get(i)! + 1) * K), r * K));
    const originalF = await logitsOn(model, train, forget, 1);
    const afterF = await logitsOn(result.model, train, forget, 1);
    const oracleF = await logitsOn(oracle, train, forget, 1);
    console.log(
      `DMM: forget-set MSE to DM-Direct targets ${mse(originalF, targetF).toFixed(4)} → ${mse(afterF, targetF).toFixed(4)}; ` +
        `to oracle logits: original ${mse(originalF, oracleF).toFixed(4)}, DM-Direct ${mse(targetF, oracleF).toFixed(4)}, DMM ${mse(afterF, oracleF).toFixed(4)}; ${result.notes?.join('; ')}`,
    );
    expect(mse(originalF, targetF)).toBeGreaterThan(0); // the targets differ from θ₀'s outputs
    expect(mse(afterF, targetF)).toBeLessThan(0.5 * mse(originalF, targetF));
    expect(result.exampleGradients).toBeGreaterThan(train.n); // attribution is counted
  });
});

describe('DM-Direct', () => {
  it('is prediction-only: asking for its model refuses with the reason', () => {
    expect(dmDirect.producesModel).toBe(false);
    expect(isPredictionOnly(dmDirect)).toBe(true);
    expect('run' in dmDirect).toBe(false);
    expect(() => getModelMethod('dm-direct')).toThrow(LetheError);
    expect(() => getModelMethod('dm-direct')).toThrow(/produces no model checkpoint/);
  });

  it('predicts lower own-label margins for the forget examples once they are removed', async () => {
    const ctx = context({ model, train, test, forget, retain, params: { projDim: 512 } });
    const out = await dmDirect.predict(ctx, { split: 'train', indices: forget });
    let before = 0;
    let after = 0;
    forget.forEach((i, r) => {
      before += marginOf(out.original, r * 10, 10, train.y[i]) / forget.length;
      after += marginOf(out.predicted, r * 10, 10, train.y[i]) / forget.length;
    });
    const oracleF = await logitsOn(oracle, train, forget, 1);
    let oracleMargin = 0;
    forget.forEach((i, r) => (oracleMargin += marginOf(oracleF, r * 10, 10, train.y[i]) / forget.length));
    console.log(`DM-Direct: mean forget margin original ${before.toFixed(3)}, predicted ${after.toFixed(3)}, oracle ${oracleMargin.toFixed(3)}`);
    expect(after).toBeLessThan(before);
    await expect(dmDirect.predict(ctx, { split: 'test', indices: Int32Array.of(test.n) })).rejects.toThrow(/outside the test split/);
  });
});
