/**
 * The fixture MLP's forward and backward pass written out in TypeScript (Flatten → Gemm → Relu → Gemm, both
 * Gemms transB), an independent reference for the gradients the training-step graph returns.
 */
import type { Model } from '../../../src/engine/graph/ir';
import { crossEntropy, EXAMPLE_SIZE } from './fixtureModels';

export interface MlpGradients {
  loss: number;
  logits: Float64Array;
  grads: Map<string, Float64Array>;
}

/** Loss Σ_i w_i·CE_i / n and its gradients for the parameter values given (default: the model's). */
export function mlpReference(model: Model, x: Float32Array, labels: Int32Array, weights?: Float32Array, values?: ReadonlyMap<string, Float32Array>): MlpGradients {
  const value = (name: string): Float32Array => values?.get(name) ?? (model.graph.initializers.get(name)!.data as Float32Array);
  const [w1, b1, w2, b2] = ['net.1.weight', 'net.1.bias', 'net.3.weight', 'net.3.bias'].map(value);
  const n = labels.length;
  const hidden = b1.length;
  const classes = b2.length;
  const h = new Float64Array(n * hidden);
  const logits = new Float64Array(n * classes);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < hidden; j++) {
      let s = b1[j];
      for (let p = 0; p < EXAMPLE_SIZE; p++) s += w1[j * EXAMPLE_SIZE + p] * x[i * EXAMPLE_SIZE + p];
      h[i * hidden + j] = Math.max(0, s);
    }
    for (let k = 0; k < classes; k++) {
      let s = b2[k];
      for (let j = 0; j < hidden; j++) s += w2[k * hidden + j] * h[i * hidden + j];
      logits[i * classes + k] = s;
    }
  }
  const ce = crossEntropy(logits, labels);
  const w = (i: number): number => (weights ? weights[i] : 1);
  let loss = 0;
  for (let i = 0; i < n; i++) loss += (w(i) * crossEntropy(logits.subarray(i * classes, (i + 1) * classes), labels.subarray(i, i + 1)).loss) / n;
  const dz = ce.dLogits.map((v, q) => v * w(Math.floor(q / classes)));
  const dW2 = new Float64Array(w2.length);
  const dB2 = new Float64Array(classes);
  const dW1 = new Float64Array(w1.length);
  const dB1 = new Float64Array(hidden);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < classes; k++) {
      const g = dz[i * classes + k];
      dB2[k] += g;
      for (let j = 0; j < hidden; j++) dW2[k * hidden + j] += g * h[i * hidden + j];
    }
    for (let j = 0; j < hidden; j++) {
      if (h[i * hidden + j] <= 0) continue;
      let g = 0;
      for (let k = 0; k < classes; k++) g += dz[i * classes + k] * w2[k * hidden + j];
      dB1[j] += g;
      for (let p = 0; p < EXAMPLE_SIZE; p++) dW1[j * EXAMPLE_SIZE + p] += g * x[i * EXAMPLE_SIZE + p];
    }
  }
  return { loss, logits, grads: new Map([['net.1.weight', dW1], ['net.1.bias', dB1], ['net.3.weight', dW2], ['net.3.bias', dB2]]) };
}

/** max |a − b| / max(max |b|, 1e-12). */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let diff = 0;
  let scale = 1e-12;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / scale;
}
