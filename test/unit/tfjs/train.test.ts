/**
 * The point of converting a TF.js model is to train it in Lethe: its gradients through Lethe's training
 * graph must be TF.js's own (eval and training-mode batch norm), kernel layouts mapped back.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { TrainStep } from '../../../src/engine/runtime/trainStep';
import { loadTfjsModel } from '../../../src/engine/tfjs/load';
import { convKernelToTfjs } from '../../../src/engine/tfjs/weights';
import { randomInput, randomizeWeights, saveToDir, tempDir, tf } from './helpers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const BATCH = 4;
const SHAPE = [BATCH, 8, 8, 2];
const LABELS = Int32Array.of(0, 2, 1, 2);

// Average pooling is 'valid' here: TF.js's own gradient of a 'same'-padded average pool divides the border
// windows by the full window size (finite differences agree with Lethe's gradient, not with TF.js's).
function padded(): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.zeroPadding2d({ inputShape: [8, 8, 2], padding: [[1, 0], [2, 1]] }),
      tf.layers.conv2d({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu6' }),
      tf.layers.leakyReLU({ alpha: 0.2 }),
      tf.layers.maxPooling2d({ poolSize: 2, strides: 1, padding: 'same' }),
      tf.layers.averagePooling2d({ poolSize: 2, strides: 1 }),
      tf.layers.conv2d({ filters: 4, kernelSize: 2, activation: 'tanh' }),
      tf.layers.globalAveragePooling2d({}),
      tf.layers.dense({ units: 3 }),
    ],
  });
}

function cnn(): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [8, 8, 2], filters: 3, kernelSize: 3, padding: 'same', activation: 'relu', name: 'c1' }),
      tf.layers.batchNormalization({ name: 'bn' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 4, kernelSize: 2, strides: 2, name: 'c2' }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 3, name: 'fc' }),
    ],
  });
}

/** TF.js's gradients of the mean cross-entropy, by weight name. */
function tfGradients(model: tf.LayersModel, x: Float32Array, training: boolean): Map<string, Float32Array> {
  const input = tf.tensor(x, SHAPE);
  const onehot = tf.oneHot(tf.tensor1d(LABELS, 'int32'), 3);
  const { grads } = tf.variableGrads(() => {
    const logits = model.apply(input, { training }) as tf.Tensor;
    return tf.neg(tf.mean(tf.sum(tf.mul(onehot, tf.logSoftmax(logits)), 1))) as tf.Scalar;
  }, model.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val));
  const byName = new Map<string, Float32Array>();
  for (const w of model.trainableWeights) {
    const g = grads[(w as unknown as { val: tf.Variable }).val.name];
    byName.set(w.originalName, g.dataSync() as Float32Array);
  }
  return byName;
}

describe('a converted TF.js model trains like TF.js', () => {
  const cases = [
    { what: 'a CNN, eval-mode batch norm', make: cnn, trainMode: false },
    { what: 'a CNN, training-mode batch norm', make: cnn, trainMode: true },
    { what: 'zero padding, ReLU6, LeakyReLU, max, average and global pooling', make: padded, trainMode: false },
  ];
  for (const { what, make, trainMode } of cases) {
    it(`cross-entropy gradients equal TF.js's: ${what}`, async () => {
      const model = make();
      randomizeWeights(model, 21);
      const ir = await loadTfjsModel(await saveToDir(model, await tempDir()));
      const x = randomInput(SHAPE, 22);
      const expected = tfGradients(model, x, trainMode);
      const params = [...expected.keys()];
      const step = await TrainStep.create({ model: ir, batchSize: BATCH, loss: { terms: [{ kind: 'ce' }] }, params, trainMode });
      try {
        const values = new Map(params.map((p) => [p, ir.graph.initializers.get(p)!.data as Float32Array]));
        const { grads } = await step.run(values, { x, labels: LABELS });
        for (const name of params) {
          const t = ir.graph.initializers.get(name)!;
          const g = grads.get(name)!;
          const tfLayout = t.dims.length === 4 ? convKernelToTfjs({ dims: t.dims, data: g }).data : g;
          const want = expected.get(name)!;
          const scale = Math.max(...Array.from(want, Math.abs));
          expect(scale).toBeGreaterThan(0);
          for (let i = 0; i < want.length; i++) expect(Math.abs(tfLayout[i] - want[i])).toBeLessThan(1e-4 * scale + 1e-6);
        }
      } finally {
        step.release();
      }
    });
  }
});
