/**
 * `lethe logits` and `lethe grad` on the PyTorch-exported fixtures must agree with PyTorch's own numbers
 * (test/fixtures/*.expected.json): logits to 1e-4 absolute, gradients to 1e-4 relative, eval and train mode.
 * fmnist-unfolded and fmnist-mixer come from test/fixtures/torch_fixtures.py: shape arithmetic left unfolded
 * for Lethe to evaluate; attention, GELU and LayerNormalization.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..');
const data = join(root, 'examples', 'fashion-mnist', 'data');
const fixture = (name: string) => join(root, 'test', 'fixtures', name);

function lethe(args: string[]): unknown {
  return JSON.parse(execFileSync(process.execPath, [join(root, 'bin', 'lethe.js'), ...args, '--json'], { encoding: 'utf8', maxBuffer: 1 << 28 }));
}

interface Expected {
  logits: number[][];
  loss: number;
  grads_eval_mode: Record<string, number[]>;
  loss_train_mode?: number;
  grads_train_mode?: Record<string, number[]>;
}

/** Largest |a − b| relative to the largest |b| of the tensor (what "1e-4 relative" means for a gradient). */
function relativeError(a: number[], b: number[]): number {
  expect(a.length).toBe(b.length);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / scale;
}

describe.each(['fmnist-mlp', 'fmnist-cnn', 'fmnist-resnet-bn', 'fmnist-unfolded', 'fmnist-mixer'])('%s against PyTorch', (name) => {
  const expected = JSON.parse(readFileSync(fixture(`${name}.expected.json`), 'utf8')) as Expected;
  const model = fixture(`${name}.onnx`);

  it('logits of test images 0..31 match to 1e-4', () => {
    const { logits } = lethe(['logits', '--model', model, '--data', data, '--split', 'test', '--indices', '0:32']) as { logits: number[][] };
    expect(logits.length).toBe(32);
    let worst = 0;
    logits.forEach((row, i) => row.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - expected.logits[i][j])))));
    expect(worst).toBeLessThan(1e-4);
  });

  it('eval-mode loss and gradients of train images 0..31 match to 1e-4 relative', () => {
    const out = lethe(['grad', '--model', model, '--data', data, '--split', 'train', '--indices', '0:32']) as { loss: number; grads: Record<string, number[]> };
    expect(Math.abs(out.loss - expected.loss)).toBeLessThan(1e-4 * Math.max(1, Math.abs(expected.loss)));
    expect(Object.keys(out.grads).sort()).toEqual(Object.keys(expected.grads_eval_mode).sort());
    for (const [param, g] of Object.entries(expected.grads_eval_mode)) expect(relativeError(out.grads[param], g), param).toBeLessThan(1e-4);
  });

});

describe('fmnist-resnet-bn in training mode (BatchNormalization with batch statistics)', () => {
  const expected = JSON.parse(readFileSync(fixture('fmnist-resnet-bn.expected.json'), 'utf8')) as Required<Expected>;

  it('loss and gradients of train images 0..31 match to 1e-4 relative', () => {
    const out = lethe(['grad', '--model', fixture('fmnist-resnet-bn.onnx'), '--data', data, '--split', 'train', '--indices', '0:32', '--train-mode']) as { loss: number; grads: Record<string, number[]> };
    expect(Math.abs(out.loss - expected.loss_train_mode)).toBeLessThan(1e-4 * Math.max(1, Math.abs(expected.loss_train_mode)));
    for (const [param, g] of Object.entries(expected.grads_train_mode)) expect(relativeError(out.grads[param], g), param).toBeLessThan(1e-4);
  });
});
