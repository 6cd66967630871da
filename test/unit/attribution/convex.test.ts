/**
 * Ground truth on a strongly convex model (docs/methods.md §6.3.2): L2-regularised softmax regression on pooled
 * Fashion-MNIST, fitted exactly, retrained exactly without forget sets, and compared with influence-function
 * attributions, DM-Direct predictions and TRAK scores.
 */
import { describe, expect, it } from 'vitest';
import { dmDirectPredict } from '../../../src/engine/attribution/dmDirectPredict';
import { marginOf } from '../../../src/engine/attribution/gradientSource';
import { SoftmaxGradientSource } from '../../../src/engine/attribution/softmaxGradients';
import {
  fitSoftmaxRegression,
  influenceAttributions,
  newtonRemoval,
  retrainWithout,
  softmaxLogits,
  softmaxLossGradients,
  type ConvexData,
} from '../../../src/engine/attribution/softmaxRegression';
import { trak } from '../../../src/engine/attribution/trak';
import { topKOfMatrix } from '../../../src/engine/attribution/topK';
import { LetheError } from '../../../src/engine/util/errors';
import { Rng } from '../../../src/engine/util/rng';
import { mse, pearson, pooledFashion } from './helpers';

const N = 500;
const L2 = 1;
const K = 10;
const data = await pooledFashion(N);
const model = fitSoftmaxRegression(data, { l2: L2 });
const logits0 = softmaxLogits(model, data);

/** Test points from further along the training file (never trained on). */
const heldOut = await pooledFashion(200, 5000);

describe('softmax regression fitted exactly', () => {
  it('reaches a stationary point of the regularised objective', () => {
    const g = softmaxLossGradients(model, data, Int32Array.from({ length: N }, (_, i) => i));
    const P = model.w.length;
    let sq = 0;
    for (let q = 0; q < P; q++) {
      let s = L2 * model.w[q];
      for (let i = 0; i < N; i++) s += g[i * P + q];
      sq += s * s;
    }
    expect(Math.sqrt(sq)).toBeLessThan(1e-6);
  });

  it('a Newton removal step lands much closer to the exact retrain than the original is', () => {
    const forget = Int32Array.from(new Rng(2).permutation(N).subarray(0, 10));
    const exact = retrainWithout(model, data, forget);
    const step = newtonRemoval(model, data, forget);
    let before = 0;
    let after = 0;
    for (let q = 0; q < model.w.length; q++) {
      before += (exact.w[q] - model.w[q]) ** 2;
      after += (exact.w[q] - step.w[q]) ** 2;
    }
    expect(before).toBeGreaterThan(0);
    expect(Math.sqrt(after / before)).toBeLessThan(0.3);
  });

  it('rejects bad input with the cause', () => {
    expect(() => fitSoftmaxRegression(data, { l2: 0 })).toThrow(/l2 = 0 must be > 0/);
    const bad: ConvexData = { ...data, y: Int32Array.from(data.y, (v, i) => (i === 3 ? 10 : v)) };
    expect(() => fitSoftmaxRegression(bad, { l2: 1 })).toThrow(LetheError);
    expect(() => fitSoftmaxRegression(bad, { l2: 1 })).toThrow(/label 10 of example 3/);
  });
});

describe('DM-Direct with influence attributions', () => {
  it("predicts the exact retrain's logits on train and held-out points for random forget sets of 10", () => {
    const originalHeldOut = softmaxLogits(model, heldOut);
    const correlations: number[] = [];
    for (let seed = 1; seed <= 6; seed++) {
      const forget = Int32Array.from(new Rng(seed).permutation(N).subarray(0, 10));
      const retrained = retrainWithout(model, data, forget);
      for (const [evalData, original] of [
        [data, logits0],
        [heldOut, originalHeldOut],
      ] as const) {
        const beta = influenceAttributions(model, data, forget, evalData);
        const predicted = dmDirectPredict(Float32Array.from(original), beta, forget.length, K);
        const truth = softmaxLogits(retrained, evalData);
        // Correlate the *changes*: the logits themselves barely move, so their correlation would prove nothing.
        const predictedChange = Float64Array.from(original, (v, j) => v - predicted[j]);
        const trueChange = Float64Array.from(original, (v, j) => v - truth[j]);
        const r = pearson(predictedChange, trueChange);
        correlations.push(r);
        console.log(`forget seed ${seed}, ${evalData === data ? 'train' : 'held-out'}: corr(predicted, exact change) = ${r.toFixed(4)}, MSE to retrain: do-nothing ${mse(original, truth).toExponential(2)}, DM-Direct ${mse(predicted, truth).toExponential(2)}`);
        expect(mse(predicted, truth)).toBeLessThan(0.6 * mse(original, truth));
        // First-order datamodels miss some of the non-linear effect of high-leverage examples (one of these
        // six sets lands near 0.88); the typical set is far above 0.9.
        expect(r).toBeGreaterThan(0.8);
      }
    }
    const sorted = [...correlations].sort((a, b) => a - b);
    const median = (sorted[5] + sorted[6]) / 2;
    expect(median).toBeGreaterThan(0.95);
    expect(sorted.filter((r) => r > 0.9).length).toBeGreaterThanOrEqual(10);
  });

  it('TRAK-style per-class attributions: the multiclass Gauss–Newton kernel tracks the exact change, the margin kernel much less', async () => {
    const forget = Int32Array.from(new Rng(1).permutation(N).subarray(0, 10));
    const truth = softmaxLogits(retrainWithout(model, data, forget), data);
    const trueChange = Float64Array.from(logits0, (v, j) => v - truth[j]);
    const source = new SoftmaxGradientSource(model, data);
    const all = Int32Array.from({ length: N }, (_, i) => i);
    const corr: Record<string, number> = {};
    for (const kernel of ['trak', 'multiclass-gauss-newton'] as const) {
      const { scores } = await trak([{ train: source, target: source }], all, { targets: all, output: 'logits', rows: forget }, { projection: { dim: 1024, kind: 'gaussian', seed: 1 }, kernel, lambda: L2, threads: 2 });
      const predicted = dmDirectPredict(Float32Array.from(logits0), scores!, forget.length, K);
      corr[kernel] = pearson(Float64Array.from(logits0, (v, j) => v - predicted[j]), trueChange);
    }
    console.log(`DM-Direct with TRAK-style attributions (k = 1024, P = ${model.w.length}): corr with the exact change ${JSON.stringify(corr)}`);
    expect(corr['multiclass-gauss-newton']).toBeGreaterThan(0.8);
    expect(corr['multiclass-gauss-newton']).toBeGreaterThan(corr.trak + 0.1);
  });

  it('with diagonal-only terms changes only the forget points themselves', () => {
    const forget = Int32Array.of(4, 9);
    const beta = influenceAttributions(model, data, forget, data);
    const diag = dmDirectPredict(Float32Array.from(logits0), beta, 2, K, { diagonal: forget });
    for (let x = 0; x < N; x++) {
      for (let k = 0; k < K; k++) {
        const j = x * K + k;
        if (x === 4 || x === 9) expect(diag[j]).toBeCloseTo(logits0[j] - beta[(x === 4 ? 0 : 1) * N * K + j], 4);
        else expect(diag[j]).toBe(Math.fround(logits0[j]));
      }
    }
  });
});

describe('a mislabelled, memorised example', () => {
  // Example 0 is relabelled to a class it does not look like; the weakly regularised model memorises it.
  const target = 0;
  const wrong = (data.y[target] + 5) % K;
  const flipped: ConvexData = { ...data, y: Int32Array.from(data.y, (v, i) => (i === target ? wrong : v)) };
  const memoriser = fitSoftmaxRegression(flipped, { l2: 0.05 });
  const own = softmaxLogits(memoriser, flipped, Int32Array.of(target));
  const ownMargin = marginOf(own, 0, K, wrong);

  it('is memorised: leaving it out drops its own margin by a lot (exact)', () => {
    const loo = softmaxLogits(retrainWithout(memoriser, flipped, [target]), flipped, Int32Array.of(target));
    const drop = ownMargin - marginOf(loo, 0, K, wrong);
    console.log(`own margin ${ownMargin.toFixed(2)}, exact leave-one-out drop ${drop.toFixed(2)}`);
    expect(ownMargin).toBeGreaterThan(0);
    expect(drop).toBeGreaterThan(2);
  });

  it('TRAK attributes its own prediction to itself: large, positive and ranked at the top', async () => {
    const source = new SoftmaxGradientSource(memoriser, flipped, 128);
    const all = Int32Array.from({ length: N }, (_, i) => i);
    const targets = Int32Array.of(target, 1, 2);
    const { scores } = await trak([{ train: source, target: source }], all, { targets, output: 'margin' }, { projection: { dim: 256, kind: 'rademacher', seed: 5 }, threads: 1 });
    const s = scores!;
    const self = s[target * 3 + 0];
    const column = Float64Array.from({ length: N }, (_, i) => s[i * 3]);
    const sortedAbs = Float64Array.from(column, Math.abs).sort();
    const ranked = topKOfMatrix(s, N, 3, 5);
    console.log(`self-score ${self.toExponential(3)}, 99th percentile of |scores| ${sortedAbs[Math.floor(0.99 * N)].toExponential(3)}, top rows ${ranked.top[0].map((r) => r.row).join(',')}`);
    expect(self).toBeGreaterThan(0);
    expect(ranked.top[0][0].row).toBe(target);
    expect(self).toBeGreaterThan(5 * sortedAbs[Math.floor(0.99 * N)]);
  });

  it('TRAK scores are deterministic given the projection seed and change with it', async () => {
    const source = new SoftmaxGradientSource(memoriser, flipped, 100);
    const rows = Int32Array.from({ length: 50 }, (_, i) => i);
    const run = (seed: number) => trak([{ train: source, target: source }], rows, { targets: Int32Array.of(0, 7), output: 'margin' }, { projection: { dim: 32, kind: 'gaussian', seed }, threads: 1 });
    const a = (await run(9)).scores!;
    const b = (await run(9)).scores!;
    const c = (await run(10)).scores!;
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });
});
