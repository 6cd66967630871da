/**
 * A GradientSource for the convex softmax-regression model: the exact per-example gradients of its output
 * functions, so TRAK can be checked against exact influence and exact retraining without onnxruntime.
 */
import { LetheError } from '../util/errors';
import { marginLogitWeights, type GradientBlock, type GradientSource, type OutputFunction } from './gradientSource';
import { softmaxLogits, type ConvexData, type SoftmaxRegression } from './softmaxRegression';

export class SoftmaxGradientSource implements GradientSource {
  readonly paramCount: number;
  readonly classes: number;
  readonly labels: Int32Array;

  constructor(
    private readonly model: SoftmaxRegression,
    private readonly data: ConvexData,
    private readonly blockSize = 256,
  ) {
    this.paramCount = model.classes * (model.d + 1);
    this.classes = model.classes;
    this.labels = data.y;
    if (data.d !== model.d) throw new LetheError(`data has ${data.d} features but the model expects ${model.d}`, undefined, 'softmax gradients');
  }

  async logits(indices: Int32Array): Promise<Float32Array> {
    return Float32Array.from(softmaxLogits(this.model, this.data, indices));
  }

  async *gradients(indices: Int32Array, output: OutputFunction): AsyncIterable<GradientBlock> {
    const { d, classes: K } = this.model;
    const D = d + 1;
    const P = this.paramCount;
    const logits = softmaxLogits(this.model, this.data, indices);
    const w = new Float64Array(K);
    for (let start = 0; start < indices.length; start += this.blockSize) {
      const count = Math.min(this.blockSize, indices.length - start);
      const grads = new Float32Array(count * P);
      for (let r = 0; r < count; r++) {
        const i = indices[start + r];
        if (output.kind === 'margin') marginLogitWeights(logits, (start + r) * K, K, this.data.y[i], w);
        else {
          w.fill(0);
          w[output.cls] = 1;
        }
        // ∂f_k/∂W = e_k ⊗ a, so Jᵀw = w ⊗ a.
        for (let k = 0; k < K; k++) {
          if (w[k] === 0) continue;
          for (let j = 0; j < d; j++) grads[r * P + k * D + j] = w[k] * this.data.x[i * d + j];
          grads[r * P + k * D + d] = w[k];
        }
      }
      yield { start, count, grads };
    }
  }
}
