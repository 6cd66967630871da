/**
 * Audit and attribution speed (issue 4): a full audit (accuracies, both MIAs, RF-JSD) of the fixture CNN on
 * the full 60k/10k Fashion-MNIST, and TRAK scores for 10k training examples × 1k targets at k = 2048.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attributeTopK } from '../src/engine/attribution/attribute';
import { loadDataset } from '../src/engine/data/load';
import { runJob } from '../src/engine/job/run';
import { readModelFile } from '../src/engine/onnx/read';
import { FULL_FASHION_MNIST } from './engine';

const root = join(__dirname, '..');
const THREADS = 2;

export async function auditSection(): Promise<string> {
  const lines = ['## Audit and attribution (issue 4)', ''];
  if (!existsSync(join(FULL_FASHION_MNIST, 'train-images-idx3-ubyte.gz'))) {
    lines.push('Skipped: Debian package dataset-fashion-mnist is not installed.', '');
    return lines.join('\n');
  }
  // The audit as a user runs it: `lethe audit` (runJob, kind audit) including data loading and the report,
  // with a forget set (the first 6,000 training images) so RF-JSD and the forget accuracies are computed too.
  const work = mkdtempSync(join(tmpdir(), 'lethe-bench-audit-'));
  const forget = join(work, 'first-6000.forget.json');
  writeFileSync(forget, JSON.stringify({ version: 1, dataset: FULL_FASHION_MNIST, selection: { kind: 'indices', indices: Array.from({ length: 6000 }, (_, i) => i) } }));
  const t0 = performance.now();
  const { report } = await runJob(
    { kind: 'audit', model: join(root, 'test', 'fixtures', 'fmnist-cnn.onnx'), data: FULL_FASHION_MNIST, forget, reference: { retrain: false }, threads: THREADS, output: work },
    { baseDir: root },
  );
  const auditSeconds = (performance.now() - t0) / 1000;
  const value = (id: string) => report.metrics.find((m) => m.id === id)?.values.original;
  lines.push(
    `Full audit of the fixture CNN on the full Fashion-MNIST (60,000 train, the first 6,000 as forget set, 10,000 test; accuracies overall and per class on every split, entropy MIA, confidence-SVC MIA, RF-JSD ${value('rfjsd.lotus')?.toFixed(2) ?? '(missing)'} ×10⁴, histograms, report and provenance written): **${auditSeconds.toFixed(1)} s** wall (target: under 30 s). Test accuracy ${((value('acc.test') ?? 0) * 100).toFixed(2)}%; entropy MIA ${value('mia.entropy')?.toFixed(3) ?? '(missing)'}, SVC MIA-efficacy ${value('mia.svc')?.toFixed(3) ?? '(missing)'}.`,
    '',
  );
  console.error('audit: done');
  return lines.join('\n');
}

export async function trakSection(): Promise<string> {
  const lines = ['## TRAK attribution speed (issue 4)', ''];
  if (!existsSync(join(FULL_FASHION_MNIST, 'train-images-idx3-ubyte.gz'))) {
    lines.push('Skipped: Debian package dataset-fashion-mnist is not installed.', '');
    return lines.join('\n');
  }

  // TRAK: 10k training examples × 1k targets, k = 2048, all parameters of the fixture MLP (dense layers: vectorised per-example gradients).
  const model = await readModelFile(join(root, 'test', 'fixtures', 'fmnist-mlp.onnx'));
  const data = await loadDataset(FULL_FASHION_MNIST, { inputShape: model.graph.inputs[0].shape });
  const trainIndices = Int32Array.from({ length: 10_000 }, (_, i) => i);
  const targets = Int32Array.from({ length: 1_000 }, (_, i) => i);
  const t1 = performance.now();
  await attributeTopK(model, data.train, data.test, targets, { top: 10, trainIndices, projDim: 2048, seed: 0, threads: THREADS });
  const trakSeconds = (performance.now() - t1) / 1000;
  lines.push(
    `TRAK scores (margin output, Rademacher projection, k = 2048, all 203,530 parameters of the fixture MLP) for 10,000 training examples × 1,000 test targets, top-10 per target: **${trakSeconds.toFixed(1)} s** wall (target: under 5 minutes).`,
    '',
  );
  console.error('audit: TRAK done');
  return lines.join('\n');
}
