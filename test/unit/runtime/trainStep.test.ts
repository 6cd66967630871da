/** TrainStep on the fixture models: loss, logits and gradients against a direct run and a hand-written backward pass. */
import { describe, expect, it } from 'vitest';
import type { Model } from '../../../src/engine/graph/ir';
import { TrainStep, type TrainStepOptions } from '../../../src/engine/runtime/trainStep';
import { CLASSES, directLogits, fixtureModel, maxAbsDiff, MLP_PARAMS, seededBatch } from './fixtureModels';
import { mlpReference, relativeError } from './mlpReference';

const initial = (model: Model, names: string[]): Map<string, Float32Array> => new Map(names.map((p) => [p, model.graph.initializers.get(p)!.data as Float32Array]));

async function withStep<T>(opts: Omit<TrainStepOptions, 'threads'>, use: (step: TrainStep) => Promise<T>): Promise<T> {
  const step = await TrainStep.create({ ...opts, threads: 1 });
  try {
    return await use(step);
  } finally {
    step.release();
  }
}

describe('TrainStep on the fixture MLP', () => {
  it('returns the logits of a direct run, the mean cross-entropy and its gradients', async () => {
    const model = await fixtureModel('fmnist-mlp');
    const { x, labels } = seededBatch(6, 11);
    const r = await withStep({ model, batchSize: 6, loss: { terms: [{ kind: 'ce' }] }, params: MLP_PARAMS, trainMode: false }, (s) => s.run(initial(model, MLP_PARAMS), { x, labels }));
    const ref = mlpReference(model, x, labels);
    expect(maxAbsDiff(r.logits, await directLogits('fmnist-mlp', x, 6))).toBeLessThan(1e-5);
    expect(r.loss).toBeCloseTo(ref.loss, 5);
    expect([...r.grads.keys()]).toEqual(MLP_PARAMS);
    for (const p of MLP_PARAMS) expect(relativeError(r.grads.get(p)!, ref.grads.get(p)!), p).toBeLessThan(1e-4);
    expect(r.runningStats).toBeUndefined();
    expect(r.probes).toBeUndefined();
  });

  it('weights each example: negative weights give ascent, zero drops the example', async () => {
    const model = await fixtureModel('fmnist-mlp');
    const { x, labels } = seededBatch(4, 12);
    const weights = Float32Array.of(2, 0, -1, 0.5);
    const r = await withStep({ model, batchSize: 4, loss: { terms: [{ kind: 'ce' }] }, params: MLP_PARAMS, trainMode: false }, (s) =>
      s.run(initial(model, MLP_PARAMS), { x, labels, weights: [weights] }),
    );
    const ref = mlpReference(model, x, labels, weights);
    expect(r.loss).toBeCloseTo(ref.loss, 5);
    for (const p of MLP_PARAMS) expect(relativeError(r.grads.get(p)!, ref.grads.get(p)!), p).toBeLessThan(1e-4);
  });

  it('differentiates at the parameter values fed, not the initializers', async () => {
    const model = await fixtureModel('fmnist-mlp');
    const { x, labels } = seededBatch(3, 13);
    const values = initial(model, MLP_PARAMS);
    values.set('net.3.weight', values.get('net.3.weight')!.map((v, i) => v + (i % 7) * 0.01));
    values.set('net.1.bias', values.get('net.1.bias')!.map((v) => v - 0.05));
    const r = await withStep({ model, batchSize: 3, loss: { terms: [{ kind: 'ce' }] }, params: MLP_PARAMS, trainMode: false }, (s) => s.run(values, { x, labels }));
    const ref = mlpReference(model, x, labels, undefined, values);
    expect(r.loss).toBeCloseTo(ref.loss, 5);
    for (const p of MLP_PARAMS) expect(relativeError(r.grads.get(p)!, ref.grads.get(p)!), p).toBeLessThan(1e-4);
  });

  it('soft cross-entropy on one-hot targets equals cross-entropy on the labels', async () => {
    const model = await fixtureModel('fmnist-mlp');
    const { x, labels } = seededBatch(5, 14);
    const oneHot = new Float32Array(5 * CLASSES);
    labels.forEach((y, i) => (oneHot[i * CLASSES + y] = 1));
    const params = ['net.3.bias', 'net.1.weight'];
    const run = (kind: 'ce' | 'soft-ce') =>
      withStep({ model, batchSize: 5, loss: { terms: [{ kind }] }, params, trainMode: false }, (s) => s.run(initial(model, params), { x, labels: kind === 'ce' ? labels : undefined, targets: [kind === 'ce' ? undefined : oneHot] }));
    const [hard, soft] = [await run('ce'), await run('soft-ce')];
    expect(soft.loss).toBeCloseTo(hard.loss, 6);
    for (const p of params) expect(maxAbsDiff(soft.grads.get(p)!, hard.grads.get(p)!), p).toBeLessThan(1e-6);
  });

  it('writes gradients into the arrays given, and returns those arrays', async () => {
    const model = await fixtureModel('fmnist-mlp');
    const { x, labels } = seededBatch(4, 15);
    const into = new Map([['net.3.weight', new Float32Array(10 * 256)]]);
    await withStep({ model, batchSize: 4, loss: { terms: [{ kind: 'ce' }] }, params: MLP_PARAMS, trainMode: false }, async (s) => {
      const plain = await s.run(initial(model, MLP_PARAMS), { x, labels });
      const expectedW = Float32Array.from(plain.grads.get('net.3.weight')!);
      const r = await s.run(initial(model, MLP_PARAMS), { x, labels }, into);
      expect(r.grads.get('net.3.weight')).toBe(into.get('net.3.weight'));
      expect(maxAbsDiff(into.get('net.3.weight')!, expectedW)).toBe(0);
      expect(maxAbsDiff(r.grads.get('net.1.bias')!, plain.grads.get('net.1.bias')!)).toBe(0);
    });
  });

  it('returns probed values and the loss gradient at probed values', async () => {
    const model = await fixtureModel('fmnist-mlp');
    const { x, labels } = seededBatch(3, 16);
    const [, , second] = model.graph.nodes;
    const gemm = model.graph.nodes[3];
    const r = await withStep(
      { model, batchSize: 3, loss: { terms: [{ kind: 'ce' }] }, params: ['net.3.bias'], trainMode: false, probes: { values: [second.outputs[0]], gradients: [gemm.outputs[0]] } },
      (s) => s.run(initial(model, ['net.3.bias']), { x, labels }),
    );
    const ref = mlpReference(model, x, labels);
    // The loss gradient at the logits is dLoss/dz; summed over the batch it is the bias gradient.
    const dz = r.probes!.gradients.get(gemm.outputs[0])!;
    const summed = Array.from({ length: CLASSES }, (_, k) => [0, 1, 2].reduce((s, i) => s + dz[i * CLASSES + k], 0));
    expect(relativeError(summed, ref.grads.get('net.3.bias')!)).toBeLessThan(1e-4);
    expect(r.probes!.values.get(second.outputs[0])!.every((v) => v >= 0)).toBe(true); // after Relu
    expect(r.probes!.values.get(second.outputs[0])!.length).toBe(3 * 256);
  });

  it('refuses a batch of another size, a missing parameter, a label out of range and weights of the wrong length', async () => {
    const model = await fixtureModel('fmnist-mlp');
    const { x, labels } = seededBatch(4, 17);
    await withStep({ model, batchSize: 4, loss: { terms: [{ kind: 'ce' }] }, params: ['net.3.bias'], trainMode: false }, async (s) => {
      const values = initial(model, ['net.3.bias']);
      await expect(s.run(values, { x: x.subarray(0, 3 * 784), labels })).rejects.toThrow('the batch holds 3 examples; this step was built for 4');
      await expect(s.run(new Map(), { x, labels })).rejects.toThrow('parameter "net.3.bias" needs 10 values, got none');
      await expect(s.run(values, { x, labels: Int32Array.of(0, 1, 10, 2) })).rejects.toThrow('label 10 of batch example 2 is outside 0..9');
      await expect(s.run(values, { x, labels, weights: [new Float32Array(3)] })).rejects.toThrow('loss term 0 (ce): 3 weights for a batch of 4');
      await expect(s.run(values, { x })).rejects.toThrow('cross-entropy needs 4 labels, got none');
    });
  });
});

describe('TrainStep in training mode', () => {
  it('updates BatchNormalization running means with momentum toward the batch mean', async () => {
    const model = await fixtureModel('fmnist-resnet-bn');
    const { x, labels } = seededBatch(4, 18);
    const conv = model.graph.nodes[0];
    const bn = model.graph.nodes[1];
    expect([conv.opType, bn.opType]).toEqual(['Conv', 'BatchNormalization']);
    const meanName = bn.inputs[3];
    const momentum = bn.attrs.momentum.value as number;
    const r = await withStep(
      { model, batchSize: 4, loss: { terms: [{ kind: 'ce' }] }, params: [bn.inputs[1]], trainMode: true, probes: { values: [conv.outputs[0]] } },
      (s) => s.run(initial(model, [bn.inputs[1]]), { x, labels }),
    );
    const convOut = r.probes!.values.get(conv.outputs[0])!;
    const channels = model.graph.initializers.get(meanName)!.dims[0];
    const plane = convOut.length / 4 / channels;
    const old = model.graph.initializers.get(meanName)!.data as Float32Array;
    const want = Array.from({ length: channels }, (_, c) => {
      let s = 0;
      for (let i = 0; i < 4; i++) for (let q = 0; q < plane; q++) s += convOut[(i * channels + c) * plane + q];
      return momentum * old[c] + (1 - momentum) * (s / (4 * plane));
    });
    expect(r.runningStats).toBeDefined();
    expect([...r.runningStats!.keys()]).toContain(bn.inputs[4]);
    expect(maxAbsDiff(r.runningStats!.get(meanName)!, want)).toBeLessThan(1e-4);
  });

  it('feeds dropout masks drawn from the seed: the same seed repeats a step, another seed changes it', async () => {
    const model = await fixtureModel('fmnist-mlp');
    // Dropout (ratio 0.5 by default) between the Relu and the last Gemm.
    const relu = model.graph.nodes[2];
    const last = model.graph.nodes[3];
    model.graph.nodes.splice(3, 0, { name: 'drop', opType: 'Dropout', domain: '', inputs: [relu.outputs[0]], outputs: ['dropped'], attrs: {} });
    last.inputs[0] = 'dropped';
    const { x, labels } = seededBatch(4, 19);
    const params = ['net.3.bias'];
    const opts = { model, batchSize: 4, loss: { terms: [{ kind: 'ce' as const }] }, params };
    const [a, b, c] = await withStep({ ...opts, trainMode: true }, async (s) => [
      await s.run(initial(model, params), { x, labels, dropoutSeed: 1 }),
      await s.run(initial(model, params), { x, labels, dropoutSeed: 1 }),
      await s.run(initial(model, params), { x, labels, dropoutSeed: 2 }),
    ]);
    expect(b.loss).toBe(a.loss);
    expect(c.loss).not.toBe(a.loss);
    // In evaluation mode Dropout is the identity: the MLP's own loss.
    const evaluated = await withStep({ ...opts, trainMode: false }, (s) => s.run(initial(model, params), { x, labels, dropoutSeed: 1 }));
    expect(evaluated.loss).toBeCloseTo(mlpReference(model, x, labels).loss, 5);
  });
});
