/**
 * Fast evaluation: the model's own graph (onnxruntime fuses and folds it as an inference graph) run over
 * whole datasets in fixed-size batches, the tail batch padded so one input tensor is reused throughout.
 */
import * as ort from 'onnxruntime-node';
import { numel, type Model } from '../graph/ir';
import { LetheError } from '../util/errors';
import { createSession } from './session';

export interface PredictorOptions {
  batchSize?: number;
  threads?: number;
}

export class Predictor {
  private released = false;

  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly input: ort.Tensor,
    private readonly inputName: string,
    private readonly outputName: string,
    private readonly batchSize: number,
    private readonly exampleSize: number,
    private readonly file?: string,
  ) {}

  static async create(model: Model, opts: PredictorOptions = {}): Promise<Predictor> {
    const inputs = model.graph.inputs;
    // A model exported with a fixed batch size is run in batches of that size.
    const fixed = inputs[0]?.shape?.[0];
    const batchSize = typeof fixed === 'number' && fixed > 0 ? fixed : (opts.batchSize ?? 512);
    if (inputs.length !== 1) throw new LetheError(`expected one data input, found ${inputs.length}`, model.file);
    const [x] = inputs;
    const exampleDims = (x.shape ?? []).slice(1);
    if (!x.shape || exampleDims.some((d) => typeof d !== 'number')) {
      throw new LetheError(`input "${x.name}" must have a static shape apart from the batch axis, found [${(x.shape ?? []).join(', ')}]`, model.file);
    }
    const dims = [batchSize, ...(exampleDims as number[])];
    const session = await createSession(model, { threads: opts.threads });
    const input = new ort.Tensor('float32', new Float32Array(numel(dims)), dims);
    return new Predictor(session, input, x.name, model.graph.outputs[0].name, batchSize, numel(dims) / batchSize, model.file);
  }

  /** Logits of the first `n` examples of `x` (n × example size), n × classes. */
  async logits(x: Float32Array, n: number): Promise<Float32Array> {
    if (x.length < n * this.exampleSize) throw new LetheError(`${n} examples need ${n * this.exampleSize} values, got ${x.length}`, this.file);
    const buffer = this.input.data as Float32Array;
    let out: Float32Array | undefined;
    let classes = 0;
    for (let start = 0; start < n; start += this.batchSize) {
      const count = Math.min(this.batchSize, n - start);
      buffer.set(x.subarray(start * this.exampleSize, (start + count) * this.exampleSize));
      if (count < this.batchSize) buffer.fill(0, count * this.exampleSize);
      const result = (await this.session.run({ [this.inputName]: this.input }))[this.outputName];
      if (!out) {
        classes = numel(result.dims as number[]) / this.batchSize;
        out = new Float32Array(n * classes);
      }
      out.set((result.data as Float32Array).subarray(0, count * classes), start * classes);
    }
    return out ?? new Float32Array(0);
  }

  /** Frees the session; later calls do nothing. */
  release(): void {
    if (this.released) return;
    this.released = true;
    void this.session.release();
  }
}
