import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { loadDataset } from '../../../src/engine/data/load';
import { FASHION_MNIST_SMALL, REPO_FIXTURES } from './fixturePaths';

/** The loader's preprocessing (pixels / 255, NCHW) must be exactly what the PyTorch models were fed. */
describe('fixture images through the PyTorch-exported models', () => {
  for (const name of ['fmnist-mlp', 'fmnist-cnn']) {
    it(`reproduces ${name}'s logits on test images 0..31`, async () => {
      const { test } = await loadDataset(FASHION_MNIST_SMALL, { inputShape: ['batch', 1, 28, 28] });
      const expected = JSON.parse(readFileSync(join(REPO_FIXTURES, `${name}.expected.json`), 'utf8')) as { logits: number[][] };
      const session = await ort.InferenceSession.create(join(REPO_FIXTURES, `${name}.onnx`));
      const input = new ort.Tensor('float32', test.x.slice(0, 32 * 784), [32, ...test.exampleShape]);
      const out = await session.run({ [session.inputNames[0]]: input });
      const logits = out[session.outputNames[0]].data as Float32Array;
      let worst = 0;
      for (let i = 0; i < 32; i++) for (let k = 0; k < 10; k++) worst = Math.max(worst, Math.abs(logits[i * 10 + k] - expected.logits[i][k]));
      expect(worst).toBeLessThan(1e-4);
      await session.release();
    });
  }
});
