/**
 * `lethe attribute --targets … --top K`: which training examples most support (and most oppose) a model's
 * output on chosen targets, by TRAK scores on the margin (Park et al. 2023). Optionally keeps the full
 * train × targets score matrix on disk as a score file, written in row blocks.
 */
import type { Dataset } from '../data/types';
import type { Model } from '../graph/ir';
import { LetheError } from '../util/errors';
import { Gemm } from './gemm';
import { OnnxGradientSource } from './onnxGradients';
import type { ProjectionKind } from './projection';
import { ScoreFileWriter, type ScoreDType } from './scoreFile';
import { TopKCollector } from './topK';
import { prepareTrak, trakScores, type TrakCheckpoint, type TrakState } from './trak';

export interface AttributeOptions {
  top: number;
  /** Training examples that get scores and form the kernel (default: all). */
  trainIndices?: Int32Array;
  /** Checkpoints of the same architecture to ensemble over (default: just `model`). */
  ensemble?: Model[];
  projDim?: number;
  projection?: ProjectionKind;
  seed?: number;
  damping?: number;
  params?: string[];
  /** Write the score matrix (rows = training examples, cols = targets) here. */
  scoreFile?: { path: string; dtype: ScoreDType };
  threads?: number;
  signal?: AbortSignal;
  progress?(fraction: number, message: string): void;
}

export interface Attribution {
  target: number;
  targetId: string;
  /** Most supporting training examples, highest score first. */
  top: { index: number; id: string; label: number; score: number }[];
  /** Most opposing training examples, lowest score first. */
  bottom: { index: number; id: string; label: number; score: number }[];
}

export async function attributeTopK(model: Model, train: Dataset, targetData: Dataset, targets: Int32Array, opts: AttributeOptions): Promise<Attribution[]> {
  if (!Number.isInteger(opts.top) || opts.top < 1) throw new LetheError(`--top ${opts.top} must be a positive integer`, undefined, 'attribute');
  if (targets.length === 0) throw new LetheError('no targets given', undefined, 'attribute');
  for (const t of targets) if (!(t >= 0 && t < targetData.n)) throw new LetheError(`target ${t} is outside 0..${targetData.n - 1}`, undefined, 'attribute');
  const trainIndices = opts.trainIndices ?? Int32Array.from({ length: train.n }, (_, i) => i);
  const models = opts.ensemble && opts.ensemble.length > 0 ? opts.ensemble : [model];
  const gemm = new Gemm({ threads: opts.threads });
  const sources: OnnxGradientSource[] = [];
  const states: TrakState[] = [];
  let writer: ScoreFileWriter | undefined;
  try {
    for (const [m, checkpoint] of models.entries()) {
      opts.progress?.(m / (models.length + 1), `attribute: featurising ${trainIndices.length} training examples with checkpoint ${m + 1} of ${models.length}`);
      const trainSource = new OnnxGradientSource(checkpoint, train, { params: opts.params, threads: opts.threads });
      const targetSource = targetData === train ? trainSource : new OnnxGradientSource(checkpoint, targetData, { params: opts.params, threads: opts.threads });
      sources.push(trainSource);
      if (targetSource !== trainSource) sources.push(targetSource);
      const ckpt: TrakCheckpoint = { train: trainSource, target: targetSource };
      states.push(await prepareTrak(ckpt, trainIndices, {
        projection: { dim: opts.projDim ?? 2048, kind: opts.projection ?? 'rademacher', seed: opts.seed ?? 0 },
        damping: opts.damping,
        signal: opts.signal,
        featureProgress: (done, total) => opts.progress?.((m + done / total) / (models.length + 1), `attribute: featurised ${done} of ${total} training examples (checkpoint ${m + 1} of ${models.length})`),
      }, gemm));
    }
    opts.progress?.(models.length / (models.length + 1), `attribute: scoring ${targets.length} targets`);
    const collector = new TopKCollector(targets.length, Math.min(opts.top, trainIndices.length));
    if (opts.scoreFile) {
      writer = await ScoreFileWriter.create(opts.scoreFile.path, {
        rows: trainIndices.length,
        cols: targets.length,
        dtype: opts.scoreFile.dtype,
        meta: {
          kind: 'trak-margin',
          rows: 'training examples',
          trainIds: Array.from(trainIndices, (i) => train.ids[i]),
          cols: 'targets',
          targetIds: Array.from(targets, (i) => targetData.ids[i]),
          projDim: opts.projDim ?? 2048,
          seed: opts.seed ?? 0,
          checkpoints: models.length,
        },
      });
    }
    // Row blocks go to the file and the top-K collector as they are computed: the matrix is never whole in memory.
    await trakScores(states, { targets, output: 'margin', writer, onRows: (values, first, count) => collector.add(values, first, count) }, gemm, opts.signal);
    if (writer) {
      await writer.close();
      writer = undefined;
    }
    const ranked = collector.result();
    const row = (r: { row: number; score: number }) => ({ index: trainIndices[r.row], id: train.ids[trainIndices[r.row]], label: train.y[trainIndices[r.row]], score: r.score });
    return Array.from(targets, (t, c) => ({ target: t, targetId: targetData.ids[t], top: ranked.top[c].map(row), bottom: ranked.bottom[c].map(row) }));
  } finally {
    if (writer) await writer.abort();
    await gemm.release();
    for (const s of sources) s.release();
  }
}
