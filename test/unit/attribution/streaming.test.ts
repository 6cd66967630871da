/**
 * Memory-bounded paths agree with in-memory ones: TRAK rows streamed to score files, DM-Direct from the
 * forget rows of a score file, top-K from a file; TRAK ensembling follows the paper's formula; attributeTopK
 * on the fixture MLP writes a score file whose ranking it reports.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { attributeTopK } from '../../../src/engine/attribution/attribute';
import { dmDirectFromScoreFile, dmDirectPredict } from '../../../src/engine/attribution/dmDirectPredict';
import { Gemm } from '../../../src/engine/attribution/gemm';
import { oneMinusPFromLogits } from '../../../src/engine/attribution/gradientSource';
import { ScoreFileReader, ScoreFileWriter, writeScoreFile } from '../../../src/engine/attribution/scoreFile';
import { SoftmaxGradientSource } from '../../../src/engine/attribution/softmaxGradients';
import { fitSoftmaxRegression, influenceAttributions, softmaxLogits } from '../../../src/engine/attribution/softmaxRegression';
import { topKOfMatrix, topKOfScoreFile } from '../../../src/engine/attribution/topK';
import { prepareTrak, trakScores } from '../../../src/engine/attribution/trak';
import type { Dataset } from '../../../src/engine/data/types';
import { readModelFile } from '../../../src/engine/onnx/read';
import { fashionImages, MLP, pooledFashion } from './helpers';

const dir = await mkdtemp(join(tmpdir(), 'lethe-attr-'));
const gemm = new Gemm({ threads: 1 });
afterAll(async () => {
  await gemm.release();
  await rm(dir, { recursive: true, force: true });
});

const data = await pooledFashion(300);
const heldOut = await pooledFashion(40, 6000);
const model = fitSoftmaxRegression(data, { l2: 1 });
const all = Int32Array.from({ length: data.n }, (_, i) => i);

describe('streaming TRAK scores', () => {
  it('rows written in blocks to float32/float16 files equal the in-memory matrix', async () => {
    const source = new SoftmaxGradientSource(model, data, 64);
    const state = await prepareTrak({ train: source, target: source }, all, { projection: { dim: 64, kind: 'rademacher', seed: 1 } }, gemm);
    const targets = Int32Array.of(3, 1, 4, 1, 5);
    const memory = (await trakScores([state], { targets, output: 'logits' }, gemm))!;
    const cols = targets.length * 10;
    expect(memory.length).toBe(data.n * cols);
    for (const dtype of ['float32', 'float16'] as const) {
      const path = join(dir, `trak-${dtype}.scores`);
      const writer = await ScoreFileWriter.create(path, { rows: data.n, cols, dtype, meta: {} });
      const seen: number[] = [];
      await trakScores([state], { targets, output: 'logits', writer, rowBlock: 37, onRows: (_v, first, count) => void seen.push(first, count) }, gemm);
      await writer.close();
      expect(seen.slice(0, 4)).toEqual([0, 37, 37, 37]);
      const reader = await ScoreFileReader.open(path);
      const back = await reader.readRows(0, data.n);
      await reader.close();
      for (let j = 0; j < memory.length; j++) expect(Math.abs(back[j] - memory[j])).toBeLessThanOrEqual(dtype === 'float32' ? 0 : 2 ** -11 * Math.abs(memory[j]) + 2 ** -25);
    }
    const short = await ScoreFileWriter.create(join(dir, 'short.scores'), { rows: 10, cols, dtype: 'float32', meta: {} });
    await expect(trakScores([state], { targets, output: 'logits', writer: short }, gemm)).rejects.toThrow(/score file is 10 × 50 but the scores are 300 × 50/);
    await short.abort();
  });

  it('ensembles as TRAK does: mean of Q times mean of the kernel products', async () => {
    const other = fitSoftmaxRegression(data, { l2: 3 });
    const s1 = new SoftmaxGradientSource(model, data);
    const s2 = new SoftmaxGradientSource(other, data);
    const opts = { projection: { dim: 48, kind: 'gaussian' as const, seed: 2 } };
    const a = await prepareTrak({ train: s1, target: s1 }, all, opts, gemm);
    const b = await prepareTrak({ train: s2, target: s2 }, all, opts, gemm);
    const targets = Int32Array.of(0, 10, 20);
    const sa = (await trakScores([a], { targets, output: 'margin' }, gemm))!;
    const sb = (await trakScores([b], { targets, output: 'margin' }, gemm))!;
    const both = (await trakScores([a, b], { targets, output: 'margin' }, gemm))!;
    const la = softmaxLogits(model, data);
    const lb = softmaxLogits(other, data);
    for (let i = 0; i < data.n; i++) {
      const qa = oneMinusPFromLogits(la, i * 10, 10, data.y[i]);
      const qb = oneMinusPFromLogits(lb, i * 10, 10, data.y[i]);
      for (let t = 0; t < 3; t++) {
        const j = i * 3 + t;
        const want = ((qa + qb) / 2) * ((sa[j] / qa + sb[j] / qb) / 2);
        expect(both[j]).toBeCloseTo(want, 4);
      }
    }
    await expect(trakScores([a, { ...b, trainIndices: all.subarray(1) }], { targets, output: 'margin' }, gemm)).rejects.toThrow(/same training examples/);
    await expect(trakScores([a], { targets, output: 'margin', rows: Int32Array.of(data.n + 5) }, gemm)).rejects.toThrow(/training example 305 has no row/);
  });
});

describe('DM-Direct and top-K from score files', () => {
  it('DM-Direct from the forget rows of a file equals the in-memory prediction', async () => {
    const beta = influenceAttributions(model, data, all, heldOut); // every training row × 40 targets × 10
    const path = join(dir, 'beta.scores');
    await writeScoreFile(path, beta, { rows: data.n, cols: 400, dtype: 'float32', meta: { rows: 'train', cols: 'held-out × classes' } });
    const original = Float32Array.from(softmaxLogits(model, heldOut));
    const forget = Int32Array.of(7, 250, 3, 99);
    const rows = new Float32Array(forget.length * 400);
    forget.forEach((f, r) => rows.set(beta.subarray(f * 400, (f + 1) * 400), r * 400));
    const inMemory = dmDirectPredict(original, rows, forget.length, 10, { multiplier: 0.5 });
    const reader = await ScoreFileReader.open(path);
    try {
      const fromFile = await dmDirectFromScoreFile(original, reader, forget, 10, { multiplier: 0.5, blockRows: 3 });
      for (let j = 0; j < 400; j++) expect(fromFile[j]).toBeCloseTo(inMemory[j], 5);
      await expect(dmDirectFromScoreFile(original, reader, Int32Array.of(300), 10)).rejects.toThrow(/forget row 300 is outside/);
      await expect(dmDirectFromScoreFile(original.subarray(10), reader, forget, 10)).rejects.toThrow(/400 columns but there are 390/);
      const ranked = await topKOfScoreFile(reader, 5, 64);
      const direct = topKOfMatrix(beta, data.n, 400, 5);
      expect(ranked).toEqual(direct);
      for (const col of direct.top) for (let r = 1; r < col.length; r++) expect(col[r].score).toBeLessThanOrEqual(col[r - 1].score);
    } finally {
      await reader.close();
    }
  });
});

describe('attributeTopK on the fixture MLP', () => {
  it('ranks training examples per target and stores the matrix it ranked', async () => {
    const mlp = await readModelFile(MLP);
    const img = await fashionImages(300);
    const train: Dataset = { ...img, exampleShape: [1, 28, 28], ids: Array.from({ length: 300 }, (_, i) => `train:${i}`), classNames: Array.from({ length: 10 }, (_, i) => `c${i}`), sources: [] };
    const path = join(dir, 'mlp.scores');
    const progress: [number, string][] = [];
    const result = await attributeTopK(mlp, train, train, Int32Array.of(0, 1, 2), { top: 4, projDim: 128, seed: 1, scoreFile: { path, dtype: 'float16' }, threads: 1, progress: (f, m) => void progress.push([f, m]) });
    expect(progress.some(([, m]) => /featurised 300 of 300 training examples/.test(m))).toBe(true);
    for (let i = 1; i < progress.length; i++) expect(progress[i][0]).toBeGreaterThanOrEqual(progress[i - 1][0]);
    expect(progress.at(-1)![0]).toBeLessThanOrEqual(1);
    expect(result.map((r) => r.targetId)).toEqual(['train:0', 'train:1', 'train:2']);
    const reader = await ScoreFileReader.open(path);
    try {
      expect(reader.header.meta).toMatchObject({ kind: 'trak-margin', projDim: 128 });
      const fromFile = await topKOfScoreFile(reader, 4);
      result.forEach((r, c) => {
        expect(r.top).toHaveLength(4);
        expect(r.top.map((t) => t.index)).toEqual(fromFile.top[c].map((t) => t.row));
        for (const t of r.top) {
          expect(t.id).toBe(`train:${t.index}`);
          expect(t.label).toBe(img.y[t.index]);
        }
      });
    } finally {
      await reader.close();
    }
    await expect(attributeTopK(mlp, train, train, Int32Array.of(300), { top: 1 })).rejects.toThrow(/target 300 is outside/);
    await expect(attributeTopK(mlp, train, train, Int32Array.of(0), { top: 0 })).rejects.toThrow(/--top 0/);
  });
});
