/**
 * Dense float32 matrix products on onnxruntime's Gemm (MLAS). Attribution is dominated by products of
 * gradient blocks with projection blocks and of feature matrices with the kernel inverse; a JavaScript
 * loop runs them at about 1 GFLOP/s, MLAS at about 100 on 2 cores (measured), so they all go through here.
 */
import * as ort from 'onnxruntime-node';
import type { Model } from '../graph/ir';
import { encodeModel } from '../onnx/write';
import { LetheError } from '../util/errors';

export interface GemmOptions {
  /** onnxruntime intra-op threads (0 = its default). */
  threads?: number;
}

/** C = op(A)·op(B), with op = identity or transpose; A and B row-major. One session per transpose pair. */
export class Gemm {
  private readonly sessions = new Map<string, Promise<ort.InferenceSession>>();

  constructor(private readonly opts: GemmOptions = {}) {}

  /**
   * A is rowsA × colsA and B is rowsB × colsB as stored; the result is op(A)·op(B), row-major.
   */
  async multiply(
    a: Float32Array,
    rowsA: number,
    colsA: number,
    b: Float32Array,
    rowsB: number,
    colsB: number,
    { transA = false, transB = false } = {},
  ): Promise<Float32Array> {
    if (a.length < rowsA * colsA || b.length < rowsB * colsB) throw new LetheError('matrix data shorter than its shape', undefined, 'gemm');
    const inner = transA ? rowsA : colsA;
    const innerB = transB ? colsB : rowsB;
    if (inner !== innerB) throw new LetheError(`inner dimensions differ: ${inner} vs ${innerB}`, undefined, 'gemm');
    const session = await this.session(transA, transB);
    const out = await session.run({
      a: new ort.Tensor('float32', a.length === rowsA * colsA ? a : a.subarray(0, rowsA * colsA), [rowsA, colsA]),
      b: new ort.Tensor('float32', b.length === rowsB * colsB ? b : b.subarray(0, rowsB * colsB), [rowsB, colsB]),
    });
    const c = out.c.data as Float32Array;
    out.c.dispose?.();
    return c;
  }

  async release(): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    for (const s of all) await (await s).release();
  }

  private session(transA: boolean, transB: boolean): Promise<ort.InferenceSession> {
    const key = `${+transA}${+transB}`;
    let s = this.sessions.get(key);
    if (!s) {
      const model: Model = {
        graph: {
          name: 'lethe-gemm',
          nodes: [
            {
              name: 'gemm',
              opType: 'Gemm',
              domain: '',
              inputs: ['a', 'b'],
              outputs: ['c'],
              attrs: { transA: { type: 'int', value: +transA }, transB: { type: 'int', value: +transB } },
            },
          ],
          inputs: [
            { name: 'a', elemType: 1, shape: ['ra', 'ca'] },
            { name: 'b', elemType: 1, shape: ['rb', 'cb'] },
          ],
          outputs: [{ name: 'c', elemType: 1, shape: undefined }],
          initializers: new Map(),
        },
        opsets: [{ domain: '', version: 13 }],
        irVersion: 8,
        producerName: 'lethe',
        producerVersion: '0',
        metadata: {},
      };
      const threads = this.opts.threads ?? 0;
      s = ort.InferenceSession.create(encodeModel(model), {
        ...(threads > 0 ? { intraOpNumThreads: threads } : {}),
        // Spin-waiting made steps 1.4× slower on a shared machine (design/architecture.md).
        extra: { session: { intra_op: { allow_spinning: '0' } } },
        enableCpuMemArena: false,
      });
      this.sessions.set(key, s);
    }
    return s;
  }
}
