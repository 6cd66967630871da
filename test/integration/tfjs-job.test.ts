/**
 * A TF.js Layers classifier (ending in softmax) goes through a whole unlearning job: Lethe trains on its
 * logits, writes the unlearned model back as TF.js next to the run, and TF.js itself loads it and agrees
 * with Lethe's predictions; the original model.json and shard are untouched.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../../src/engine/job/checkpoint';
import { logitsOn } from '../../src/engine/job/evaluate';
import { loadDataset } from '../../src/engine/data/load';
import { runJob } from '../../src/engine/job/run';
import { sha256File } from '../../src/engine/report/provenance';
import { Predictor } from '../../src/engine/runtime/predict';
import { loadWithTf, maxAbsDiff, saveToDir, tempDir, tf } from '../unit/tfjs/helpers';

const root = join(__dirname, '..', '..');
const example = join(root, 'examples', 'fashion-mnist');

describe('TF.js checkpoints in a job', () => {
  it('unlearns a softmax-headed Keras model and writes TF.js back', async () => {
    const dir = await tempDir();
    const modelDir = join(dir, 'keras-mlp');
    mkdirSync(modelDir);
    const keras = tf.sequential({
      layers: [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units: 32, activation: 'relu' }), tf.layers.dense({ units: 10, activation: 'softmax' })],
    });
    const modelJson = await saveToDir(keras, modelDir);
    const before = [await sha256File(modelJson), await sha256File(join(modelDir, 'group1-shard1of1.bin'))];

    const { report, runDir } = await runJob(
      { model: modelJson, data: join(example, 'data'), forget: join(example, 'sandals.forget.json'), method: 'finetune', params: { epochs: 1 }, reference: { retrain: false }, evaluation: { mia: false }, output: join(dir, 'runs') },
      { baseDir: root },
    );
    expect([await sha256File(modelJson), await sha256File(join(modelDir, 'group1-shard1of1.bin'))]).toEqual(before);
    expect(report.models.unlearned?.format).toBe('tfjs');
    const outJson = join(runDir, report.models.unlearned!.path);

    // Lethe's logits of the written model, softmaxed, equal TF.js's own predictions of it.
    const { model } = await loadCheckpoint(outJson);
    const data = await loadDataset(join(example, 'data'), { inputShape: model.graph.inputs[0].shape });
    const idx = Int32Array.from({ length: 16 }, (_, i) => i);
    const p = await Predictor.create(model, { batchSize: 16, threads: 1 });
    const logits = await logitsOn(p, data.test, idx, 10);
    p.release();
    const probs = tf.softmax(tf.tensor2d(logits, [16, 10])).dataSync();
    const reloaded = await loadWithTf(outJson);
    const tfProbs = (reloaded.predict(tf.tensor4d(data.test.x.subarray(0, 16 * 784), [16, 28, 28, 1])) as tf.Tensor).dataSync();
    expect(maxAbsDiff(probs, tfProbs)).toBeLessThan(1e-5);
    // And unlearning changed the weights.
    const original = (keras.predict(tf.tensor4d(data.test.x.subarray(0, 16 * 784), [16, 28, 28, 1])) as tf.Tensor).dataSync();
    expect(maxAbsDiff(original, tfProbs)).toBeGreaterThan(1e-3);
  });
});
