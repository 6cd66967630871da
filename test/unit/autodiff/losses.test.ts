/** Loss heads: values and parameter gradients of each term kind, weighted and summed, against TF.js. */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import type { LossTerm } from '../../../src/engine/autodiff/losses';
import { TrainStep, type StepInputs } from '../../../src/engine/runtime/trainStep';
import { randomValues } from './gradcheck';
import { initialValues, mlp, node, PARAMS } from './tinyModels';

const B = 5;
const K = 4;
const model = mlp([node('Tanh', ['h'], ['a'])]);
const x = Float32Array.from(randomValues(B * 6, 11));
const labels = Int32Array.from([0, 3, 1, 2, 3]);
const softTargets = tf.tidy(() => tf.softmax(tf.tensor2d(Float32Array.from(randomValues(B * K, 12)), [B, K])).dataSync() as Float32Array);
const teacher = Float32Array.from(randomValues(B * K, 13, 2));
const regression = Float32Array.from(randomValues(B * K, 14));
const weights = Float32Array.from([1, -0.5, 2, 0, 0.75]);

/** TF.js reference: the same network and Σ_terms Σ_i w_i ℓ_i / B. */
function reference(terms: LossTerm[], inputs: StepInputs): { loss: number; grads: Map<string, Float32Array> } {
  const out = tf.tidy(() => {
    const init = PARAMS.map((n) => tf.tensor(model.graph.initializers.get(n)!.data as Float32Array, model.graph.initializers.get(n)!.dims));
    const xs = tf.tensor2d(inputs.x, [B, 6]);
    const f = (w1: tf.Tensor, b1: tf.Tensor, w2: tf.Tensor, b2: tf.Tensor): tf.Scalar => {
      const h = tf.tanh(tf.add(tf.matMul(xs, w1 as tf.Tensor2D, false, true), b1));
      const z = tf.add(tf.matMul(h as tf.Tensor2D, w2 as tf.Tensor2D, false, true), b2);
      let total = tf.scalar(0);
      terms.forEach((term, i) => {
        const w = inputs.weights?.[i] ? tf.tensor1d(inputs.weights[i]!) : tf.ones([B]);
        const t = inputs.targets?.[i] ? tf.tensor2d(inputs.targets[i]!, [B, K]) : tf.oneHot(tf.tensor1d(inputs.labels!, 'int32'), K).toFloat();
        let per: tf.Tensor;
        if (term.kind === 'ce' || term.kind === 'soft-ce') per = tf.neg(tf.sum(tf.mul(t, tf.logSoftmax(z)), 1));
        else if (term.kind === 'mse') per = tf.mean(tf.square(tf.sub(z, t)), 1);
        else {
          const T = term.temperature;
          const p = tf.softmax(tf.div(t, T));
          per = tf.mul(tf.sum(tf.mul(p, tf.sub(tf.log(p), tf.logSoftmax(tf.div(z, T)))), 1), T * T);
        }
        total = tf.add(total, tf.div(tf.sum(tf.mul(w, per)), B));
      });
      return total as tf.Scalar;
    };
    const { value, grads } = tf.valueAndGrads(f)(init);
    return [value, ...grads];
  });
  const result = { loss: out[0].dataSync()[0], grads: new Map(PARAMS.map((n, i) => [n, out[i + 1].dataSync() as Float32Array])) };
  tf.dispose(out);
  return result;
}

async function compare(terms: LossTerm[], inputs: StepInputs): Promise<void> {
  const step = await TrainStep.create({ model, batchSize: B, loss: { terms }, params: PARAMS, trainMode: false, threads: 1 });
  try {
    const got = await step.run(initialValues(model), inputs);
    const want = reference(terms, inputs);
    expect(got.loss).toBeCloseTo(want.loss, 5);
    expect(got.logits.length).toBe(B * K);
    for (const p of PARAMS) {
      const g = got.grads.get(p)!;
      const w = want.grads.get(p)!;
      const scale = Math.max(...Array.from(w, Math.abs));
      for (let i = 0; i < w.length; i++) expect(Math.abs(g[i] - w[i]), `${p}[${i}]`).toBeLessThan(1e-5 * Math.max(scale, 1e-3));
    }
  } finally {
    step.release();
  }
}

describe('loss heads', () => {
  it('ce with hard labels', () => compare([{ kind: 'ce' }], { x, labels }));
  it('ce with per-example weights, negative for ascent', () => compare([{ kind: 'ce' }], { x, labels, weights: [weights] }));
  it('soft-ce with target distributions', () => compare([{ kind: 'soft-ce' }], { x, targets: [softTargets] }));
  it('kl to teacher logits at temperature 4', () => compare([{ kind: 'kl', temperature: 4 }], { x, targets: [teacher], weights: [weights] }));
  it('kl at temperature 1', () => compare([{ kind: 'kl', temperature: 1 }], { x, targets: [teacher] }));
  it('mse on logits', () => compare([{ kind: 'mse' }], { x, targets: [regression] }));
  it('a sum of terms, each with its own weights and targets', () =>
    compare([{ kind: 'ce' }, { kind: 'kl', temperature: 2 }, { kind: 'ce' }, { kind: 'mse' }], {
      x,
      labels,
      targets: [undefined, teacher, undefined, regression],
      weights: [weights, undefined, Float32Array.from([-1, -1, 0, 0, -1]), Float32Array.from([0.5, 0.5, 0.5, 0.5, 0.5])],
    }));

  it('negating every weight negates the loss and the gradients', async () => {
    const step = await TrainStep.create({ model, batchSize: B, loss: { terms: [{ kind: 'ce' }] }, params: PARAMS, trainMode: false, threads: 1 });
    try {
      const up = await step.run(initialValues(model), { x, labels, weights: [weights] });
      const down = await step.run(initialValues(model), { x, labels, weights: [weights.map((w) => -w)] });
      expect(down.loss).toBeCloseTo(-up.loss, 6);
      for (const p of PARAMS) up.grads.get(p)!.forEach((g, i) => expect(down.grads.get(p)![i]).toBeCloseTo(-g, 6));
    } finally {
      step.release();
    }
  });
});
