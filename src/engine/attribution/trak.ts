/**
 * TRAK attribution scores (Park, Georgiev, Ilyas, Leclerc, Madry, "TRAK: Attributing Model Behavior at
 * Scale", ICML 2023, Algorithm 1):
 *
 *   1. Features: φ(x) = Pᵀ∇θ f(x; θ) with f the margin log(p/(1 − p)) and P a seeded random projection.
 *   2. Kernel:   A = ΦᵀΦ + λI over the training features Φ (n × k), inverted once through its Cholesky factor.
 *   3. Scores:   τ(z, i) = φ(z)ᵀ A⁻¹ φ(x_i) · Q_i,  Q_i = 1 − p_i (the model's probability of x_i's label).
 *   4. Ensemble: over M checkpoints, τ = (mean_m Q_m) ⊙ mean_m(φ_m(z)ᵀ A_m⁻¹ Φ_mᵀ), averaging the Q's apart as
 *      TRAK does (its soft-thresholding step is left out: DM-Direct sums raw scores).
 *
 * Where the scaling comes from: for the logistic loss ℓ = log(1 + e^{−φ}) on the margin, ∇ℓ_i = −(1 − p_i)∇φ_i,
 * and ΦᵀΦ stands in for the Gauss–Newton Hessian of the summed loss with TRAK's simplification of unit weights
 * (the exact weights would be p_i(1 − p_i)). So τ(z, i) ≈ −∇f(z)ᵀH⁻¹∇ℓ_i, the first-order change of f(z)
 * when x_i is added to a sum objective: positive means x_i supports z's output. Like TRAK we do not divide by
 * n, and because the unit weights exceed p(1 − p) ≤ ¼, TRAK scores are not calibrated counterfactual changes; they
 * rank well. Measured on the convex model (test/unit/attribution/convex.test.ts), per-class DM-Direct predictions
 * from margin features correlate only ~0.65 with exact retraining even at k = 2P: one margin direction per example
 * cannot represent a K-class Hessian. `kernel: 'multiclass-gauss-newton'` uses all K logit gradients (projected
 * influence functions, ~0.87 there). `kernel: 'gauss-newton'` (margin features, p(1 − p) weights) over-predicts
 * 2–3× on the convex model and by orders of magnitude on confident networks; it is kept for experiments only.
 *
 * The target-side output can also be a single class logit (per-class datamodels, used by DM-Direct/DMM).
 */
import { LetheError } from '../util/errors';
import { cholesky, lowerInverseTransposed } from './cholesky';
import { Gemm } from './gemm';
import { oneMinusPFromLogits, type GradientSource, type OutputFunction } from './gradientSource';
import { Projector, type ProjectionSpec, type ProjectorOptions } from './projection';
import type { ScoreFileWriter } from './scoreFile';

export interface TrakOptions {
  projection: ProjectionSpec;
  /** λ = damping × mean diagonal of the undamped kernel (scale-free); ignored when `lambda` is set. Default 1e-3. */
  damping?: number;
  /** Absolute λ. */
  lambda?: number;
  /**
   * 'trak': ΦᵀΦ (the paper's); 'gauss-newton': Φᵀdiag(p(1 − p))Φ, the logistic-margin Hessian (experimental: it
   * blows up on confident examples);
   * 'multiclass-gauss-newton': Σ_i J̃_iᵀ(diag p_i − p_ip_iᵀ)J̃_i over all K projected logit gradients J̃_i of each
   * training example, the softmax cross-entropy Gauss–Newton Hessian, with the loss gradient J̃_iᵀ(e_y − p_i) on the
   * training side: projected influence functions. K× the featurisation cost and K·n·k floats of memory.
   */
  kernel?: 'trak' | 'gauss-newton' | 'multiclass-gauss-newton';
  threads?: number;
  projector?: ProjectorOptions;
  signal?: AbortSignal;
  progress?(fraction: number, message: string): void;
  /** Called after each projection pass while featurising training examples (featurising dominates the cost). */
  featureProgress?(done: number, total: number): void;
}

/** One checkpoint's model over the training data and over the data holding the targets (may be the same). */
export interface TrakCheckpoint {
  train: GradientSource;
  target: GradientSource;
}

/** The per-checkpoint state TRAK keeps after featurising the training set. */
export interface TrakState {
  /** Training example indices the kernel was built from (rows of Φ). */
  trainIndices: Int32Array;
  /** Φ·A⁻¹ (n × k). */
  weighted: Float32Array;
  /** Q_i = 1 − p_i per training example. */
  q: Float32Array;
  lambda: number;
  projector: Projector;
  checkpoint: TrakCheckpoint;
}

const WHERE = 'TRAK';

/**
 * Project the per-example gradients of an output function: count × k features. Gradient blocks are gathered
 * up to `batchBytes` (default 128 MB) before each projection pass, so the projection rows that do not fit the
 * projector's cache are regenerated once per pass rather than once per gradient block.
 */
export async function featurize(
  source: GradientSource,
  indices: Int32Array,
  output: OutputFunction,
  projector: Projector,
  signal?: AbortSignal,
  batchBytes = 128 * 2 ** 20,
  onProgress?: (done: number, total: number) => void,
): Promise<Float32Array> {
  const P = source.paramCount;
  if (P !== projector.inputDim) throw new LetheError(`gradients have ${P} entries but the projection expects ${projector.inputDim}`, undefined, WHERE);
  const k = projector.dim;
  const out = new Float32Array(indices.length * k);
  let next = 0;
  let pending: { start: number; count: number; grads: Float32Array }[] = [];
  let pendingCount = 0;
  const flush = async (): Promise<void> => {
    if (pendingCount === 0) return;
    const start = pending[0].start;
    const grads = pending.length === 1 ? pending[0].grads : new Float32Array(pendingCount * P);
    if (pending.length > 1) {
      let off = 0;
      for (const b of pending) {
        grads.set(b.grads.subarray(0, b.count * P), off);
        off += b.count * P;
      }
    }
    out.set(await projector.project(grads, pendingCount), start * k);
    pending = [];
    pendingCount = 0;
    onProgress?.(next, indices.length);
  };
  for await (const block of source.gradients(indices, output)) {
    signal?.throwIfAborted();
    if (block.start !== next) throw new LetheError(`gradient blocks out of order (expected start ${next}, got ${block.start})`, undefined, WHERE);
    pending.push(block);
    pendingCount += block.count;
    next += block.count;
    if (pendingCount * P * 4 >= batchBytes) await flush();
  }
  await flush();
  if (next !== indices.length) throw new LetheError(`gradient source returned ${next} of ${indices.length} examples`, undefined, WHERE);
  return out;
}

/** Steps 1–2 for one checkpoint: training features, damped kernel, Φ·A⁻¹ and Q. */
export async function prepareTrak(checkpoint: TrakCheckpoint, trainIndices: Int32Array, opts: TrakOptions, gemm: Gemm): Promise<TrakState> {
  const source = checkpoint.train;
  if (trainIndices.length === 0) throw new LetheError('no training examples to build the kernel from', undefined, WHERE);
  const projector = new Projector(source.paramCount, opts.projection, gemm, opts.projector);
  const k = projector.dim;
  const n = trainIndices.length;
  const kernel = opts.kernel ?? 'trak';
  if (kernel === 'multiclass-gauss-newton') return prepareMulticlass(checkpoint, trainIndices, projector, opts, gemm);
  const phi = await featurize(source, trainIndices, { kind: 'margin' }, projector, opts.signal, undefined, opts.featureProgress);
  const logits = await source.logits(trainIndices);
  const K = source.classes;
  const q = new Float32Array(n);
  for (let r = 0; r < n; r++) q[r] = oneMinusPFromLogits(logits, r * K, K, source.labels[trainIndices[r]]);

  // A = Φᵀ W Φ (+ λI): W = I for TRAK, diag(p(1 − p)) for Gauss–Newton (rows scaled by √w).
  let rowsForKernel = phi;
  if (kernel === 'gauss-newton') {
    rowsForKernel = new Float32Array(phi.length);
    for (let r = 0; r < n; r++) {
      const s = Math.sqrt(q[r] * (1 - q[r]));
      for (let c = 0; c < k; c++) rowsForKernel[r * k + c] = phi[r * k + c] * s;
    }
  } else if (kernel !== 'trak') {
    throw new LetheError(`kernel "${String(opts.kernel)}" must be trak or gauss-newton`, undefined, WHERE);
  }
  const gram = await gemm.multiply(rowsForKernel, n, k, rowsForKernel, n, k, { transA: true });
  const { inv, lambda } = await dampedInverse(gram, k, opts, gemm);
  const weighted = await gemm.multiply(phi, n, k, inv, k, k);
  return { trainIndices, weighted, q, lambda, projector, checkpoint };
}

/**
 * (G + λI)⁻¹ with λ absolute or relative to the mean diagonal of G: Cholesky and the triangular inverse in
 * float64, the final product (L⁻¹)ᵀL⁻¹ on onnxruntime (k³ multiply-adds: 20 s in JavaScript at k = 2048).
 */
async function dampedInverse(gram: Float32Array, k: number, opts: TrakOptions, gemm: Gemm): Promise<{ inv: Float32Array; lambda: number }> {
  let trace = 0;
  for (let c = 0; c < k; c++) trace += gram[c * k + c];
  const lambda = opts.lambda ?? (opts.damping ?? 1e-3) * (trace / k);
  if (!(lambda >= 0) || !Number.isFinite(lambda)) throw new LetheError(`λ = ${lambda} must be a finite number ≥ 0`, undefined, WHERE);
  const a = Float64Array.from(gram);
  for (let c = 0; c < k; c++) a[c * k + c] += lambda;
  const mt = Float32Array.from(lowerInverseTransposed(cholesky(a, k, 'attribution kernel + λI'), k));
  return { inv: await gemm.multiply(mt, k, k, mt, k, k, { transB: true }), lambda };
}

/** The multiclass Gauss–Newton kernel (see TrakOptions.kernel): weighted rows are −A⁻¹·g̃_i, Q = 1. */
async function prepareMulticlass(checkpoint: TrakCheckpoint, trainIndices: Int32Array, projector: Projector, opts: TrakOptions, gemm: Gemm): Promise<TrakState> {
  const source = checkpoint.train;
  const K = source.classes;
  const k = projector.dim;
  const n = trainIndices.length;
  const perClass: Float32Array[] = [];
  for (let c = 0; c < K; c++) {
    const report = opts.featureProgress && ((done: number, total: number) => opts.featureProgress!(c * total + done, K * total));
    perClass.push(await featurize(source, trainIndices, { kind: 'logit', cls: c }, projector, opts.signal, undefined, report));
  }
  const logits = await source.logits(trainIndices);
  // diag p − ppᵀ = Σ_c p_c (e_c − p)(e_c − p)ᵀ, so the kernel is the Gram matrix of rows √p_c·(φ_c − Σ_j p_j φ_j).
  const rows = new Float32Array(n * K * k);
  const lossGrad = new Float32Array(n * k);
  const p = new Float64Array(K);
  const mean = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    let max = -Infinity;
    for (let c = 0; c < K; c++) max = Math.max(max, logits[i * K + c]);
    let z = 0;
    for (let c = 0; c < K; c++) z += p[c] = Math.exp(logits[i * K + c] - max);
    mean.fill(0);
    for (let c = 0; c < K; c++) {
      p[c] /= z;
      const f = perClass[c];
      for (let j = 0; j < k; j++) mean[j] += p[c] * f[i * k + j];
    }
    for (let c = 0; c < K; c++) {
      const s = Math.sqrt(p[c]);
      const f = perClass[c];
      const base = (i * K + c) * k;
      for (let j = 0; j < k; j++) rows[base + j] = s * (f[i * k + j] - mean[j]);
    }
    // −g̃_i = J̃_iᵀ(e_y − p): the direction in which including example i moves the parameters.
    const fy = perClass[source.labels[trainIndices[i]]];
    for (let j = 0; j < k; j++) lossGrad[i * k + j] = fy[i * k + j] - mean[j];
  }
  const gram = await gemm.multiply(rows, n * K, k, rows, n * K, k, { transA: true });
  const { inv, lambda } = await dampedInverse(gram, k, opts, gemm);
  const weighted = await gemm.multiply(lossGrad, n, k, inv, k, k);
  return { trainIndices, weighted, q: new Float32Array(n).fill(1), lambda, projector, checkpoint };
}

export interface ScoreRequest {
  /** Indices into the target dataset. */
  targets: Int32Array;
  /** 'margin': one score per (train, target), classic TRAK; 'logits': one per (train, target, class), cols = T·K. */
  output: 'margin' | 'logits';
  /** Which training examples get a row (positions are looked up in the kernel's training indices; default: all). */
  rows?: Int32Array;
  /** Stream rows into a score file instead of returning them (memory: rowBlock × cols). */
  writer?: ScoreFileWriter;
  /** Receive each row block (after the writer, if any) instead of collecting the whole matrix. */
  onRows?(values: Float32Array, firstRow: number, count: number): void | Promise<void>;
  rowBlock?: number;
}

/** Steps 3–4: scores of `rows` on the targets, ensembled over the prepared checkpoints. */
export async function trakScores(states: TrakState[], request: ScoreRequest, gemm: Gemm, signal?: AbortSignal): Promise<Float32Array | undefined> {
  if (states.length === 0) throw new LetheError('no checkpoints', undefined, WHERE);
  const base = states[0];
  for (const s of states) {
    if (s.trainIndices.length !== base.trainIndices.length || s.trainIndices.some((v, i) => v !== base.trainIndices[i])) {
      throw new LetheError('every checkpoint must be featurised on the same training examples', undefined, WHERE);
    }
  }
  const K = base.checkpoint.target.classes;
  const T = request.targets.length;
  const k = base.projector.dim;
  const position = new Map<number, number>();
  base.trainIndices.forEach((v, i) => position.set(v, i));
  const rows = request.rows ?? base.trainIndices;
  const rowPos = Int32Array.from(rows, (v) => {
    const p = position.get(v);
    if (p === undefined) throw new LetheError(`training example ${v} has no row: it was not among the examples the kernel was built from`, undefined, WHERE);
    return p;
  });
  const outputs: OutputFunction[] = request.output === 'margin' ? [{ kind: 'margin' }] : Array.from({ length: K }, (_, cls) => ({ kind: 'logit', cls }) as OutputFunction);
  const C = outputs.length;
  const cols = T * C;
  if (request.writer && (request.writer.header.cols !== cols || request.writer.rowsRemaining !== rows.length)) {
    throw new LetheError(`score file is ${request.writer.rowsRemaining} × ${request.writer.header.cols} but the scores are ${rows.length} × ${cols}`, request.writer.path, WHERE);
  }
  // Target features per checkpoint and output: C × (T × k) each.
  const targetFeatures: Float32Array[][] = [];
  for (const s of states) {
    const perOutput: Float32Array[] = [];
    for (const out of outputs) perOutput.push(await featurize(s.checkpoint.target, request.targets, out, s.projector, signal));
    targetFeatures.push(perOutput);
  }
  const M = states.length;
  const qMean = new Float32Array(rowPos.length);
  for (const s of states) for (let r = 0; r < rowPos.length; r++) qMean[r] += s.q[rowPos[r]] / M;

  const streaming = request.writer !== undefined || request.onRows !== undefined;
  const rowBlock = streaming ? Math.max(1, request.rowBlock ?? Math.max(1, Math.floor(2 ** 24 / cols))) : rowPos.length;
  const result = streaming ? undefined : new Float32Array(rowPos.length * cols);
  for (let r0 = 0; r0 < rowPos.length; r0 += rowBlock) {
    signal?.throwIfAborted();
    const nr = Math.min(rowBlock, rowPos.length - r0);
    const block = new Float32Array(nr * cols);
    for (let m = 0; m < M; m++) {
      const w = new Float32Array(nr * k);
      for (let r = 0; r < nr; r++) w.set(states[m].weighted.subarray(rowPos[r0 + r] * k, (rowPos[r0 + r] + 1) * k), r * k);
      for (let c = 0; c < C; c++) {
        const prod = await gemm.multiply(w, nr, k, targetFeatures[m][c], T, k, { transB: true }); // nr × T
        for (let r = 0; r < nr; r++) for (let t = 0; t < T; t++) block[r * cols + t * C + c] += prod[r * T + t];
      }
    }
    for (let r = 0; r < nr; r++) {
      const f = qMean[r0 + r] / M;
      for (let j = 0; j < cols; j++) block[r * cols + j] *= f;
    }
    if (request.writer) await request.writer.writeRows(block, nr);
    if (request.onRows) await request.onRows(block, r0, nr);
    if (result) result.set(block, r0 * cols);
  }
  return result;
}

/** Featurise, build kernels and score in one call (in memory). Releases nothing it was not given. */
export async function trak(checkpoints: TrakCheckpoint[], trainIndices: Int32Array, request: ScoreRequest, opts: TrakOptions): Promise<{ scores: Float32Array | undefined; lambdas: number[] }> {
  const gemm = new Gemm({ threads: opts.threads });
  try {
    const states: TrakState[] = [];
    for (let m = 0; m < checkpoints.length; m++) {
      opts.progress?.(m / (checkpoints.length + 1), `TRAK: featurising checkpoint ${m + 1} of ${checkpoints.length}`);
      states.push(await prepareTrak(checkpoints[m], trainIndices, opts, gemm));
    }
    opts.progress?.(checkpoints.length / (checkpoints.length + 1), 'TRAK: scoring targets');
    const scores = await trakScores(states, request, gemm, opts.signal);
    return { scores, lambdas: states.map((s) => s.lambda) };
  } finally {
    await gemm.release();
  }
}
