/** onnxruntime sessions created the way Lethe measured fastest: full graph optimisation, no thread spinning. */
import * as ort from 'onnxruntime-node';
import { availableParallelism } from 'node:os';
import type { Model } from '../graph/ir';
import { encodeModel } from '../onnx/write';
import { LetheError } from '../util/errors';

// Graph-level notices (e.g. "removing unused initializer" in generated training graphs) are noise to users.
ort.env.logLevel = 'error';

export interface SessionSettings {
  /** Intra-op threads (default: all available cores). */
  threads?: number;
}

export async function createSession(model: Model, settings: SessionSettings = {}): Promise<ort.InferenceSession> {
  try {
    return await ort.InferenceSession.create(encodeModel(model), {
      graphOptimizationLevel: 'all',
      executionMode: 'sequential',
      intraOpNumThreads: settings.threads ?? availableParallelism(),
      interOpNumThreads: 1,
      logSeverityLevel: 3,
      // Spin-waiting made steps 1.4× slower on a shared machine (design/architecture.md).
      extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
    });
  } catch (e) {
    throw new LetheError(`onnxruntime cannot load the graph: ${(e as Error).message}`, model.file);
  }
}

/** Feeds that reuse one ort.Tensor per input across runs: wrap caller arrays without copying, or copy into owned buffers. */
export class Feeds {
  readonly tensors: Record<string, ort.Tensor> = {};

  /** Feeds `data` as is (a new tensor only when the caller passes a different array). */
  wrap(name: string, data: Float32Array, dims: readonly number[]): void {
    const t = this.tensors[name];
    if (t && t.data === data) return;
    this.tensors[name] = new ort.Tensor('float32', data, dims);
  }

  /** The buffer owned by input `name`, to fill in place before a run. */
  buffer(name: string, dims: readonly number[]): Float32Array {
    let t = this.tensors[name];
    if (!t) {
      t = new ort.Tensor('float32', new Float32Array(dims.reduce((p, d) => p * d, 1)), dims);
      this.tensors[name] = t;
    }
    return t.data as Float32Array;
  }
}
