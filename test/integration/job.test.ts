/**
 * runJob end to end on the bundled example data with the small fixture MLP: the run folder is complete and
 * verifies, lineage metadata is written, the original is untouched, and KLoM ensembles are cached so a
 * repeated job resumes (same KLoM values, no retraining).
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runJob } from '../../src/engine/job/run';
import { readModelFile } from '../../src/engine/onnx/read';
import { writeModelFile } from '../../src/engine/onnx/write';
import { sha256File, verifyRun } from '../../src/engine/report/provenance';

const root = join(__dirname, '..', '..');
const example = join(root, 'examples', 'fashion-mnist');

describe('runJob', () => {
  const out = mkdtempSync(join(tmpdir(), 'lethe-job-'));
  const job = {
    model: join(root, 'test', 'fixtures', 'fmnist-mlp.onnx'),
    data: join(example, 'data'),
    forget: join(example, 'random-10pct.forget.json'),
    method: 'finetune',
    params: { epochs: 1 },
    training: { epochs: 1, batchSize: 128, lr: 0.05 },
    reference: { retrain: true, klomModels: 2 },
    output: out,
    seed: 3,
  };

  it('writes a complete, verifiable run with KLoM, and resumes KLoM models from the cache', async () => {
    const before = await sha256File(job.model);
    const t0 = performance.now();
    const first = await runJob(job, { baseDir: root });
    const firstSeconds = (performance.now() - t0) / 1000;

    expect(readdirSync(first.runDir).sort()).toEqual(['fmnist-mlp.retrain.onnx', 'fmnist-mlp.unlearned.onnx', 'provenance.json', 'report.html', 'report.json'].sort());
    expect((await verifyRun(first.runDir)).ok).toBe(true);
    expect(await sha256File(job.model)).toBe(before);
    const written = await readModelFile(join(first.runDir, 'fmnist-mlp.unlearned.onnx'));
    expect(written.metadata['lethe.role']).toBe('unlearned');
    expect(written.metadata['lethe.method']).toBe('finetune');

    const report = JSON.parse(readFileSync(join(first.runDir, 'report.json'), 'utf8')) as { metrics: { id: string; values: Record<string, number> }[] };
    const klom = report.metrics.filter((m) => m.id.startsWith('klom.forget'));
    expect(klom.length).toBeGreaterThan(0);
    for (const m of klom) for (const v of Object.values(m.values)) expect(Number.isFinite(v) && v >= 0).toBe(true);

    const t1 = performance.now();
    const second = await runJob(job, { baseDir: root });
    const secondSeconds = (performance.now() - t1) / 1000;
    const report2 = JSON.parse(readFileSync(join(second.runDir, 'report.json'), 'utf8')) as typeof report;
    expect(report2.metrics.filter((m) => m.id.startsWith('klom.'))).toEqual(report.metrics.filter((m) => m.id.startsWith('klom.')));
    console.log(`first run ${firstSeconds.toFixed(1)} s, resumed run ${secondSeconds.toFixed(1)} s (KLoM models from the cache)`);
  });

  it('trains N references with their own seeds: the verdict counts them and its bands include their spread; the first is the one a single reference gives', async () => {
    const base = { ...job, reference: { retrain: true }, output: mkdtempSync(join(tmpdir(), 'lethe-refs-')) };
    const one = await runJob(base, { baseDir: root });
    const three = await runJob({ ...base, reference: { retrain: true, models: 3 } }, { baseDir: root });
    const read = (dir: string) => JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as { verdict: { references: number; noise: { referenceSpread: boolean }; forgetting: { metrics: { metric: string; band: number; targetLabel: string }[] } }; metrics: { id: string; values: Record<string, number> }[] };
    const r1 = read(one.runDir);
    const r3 = read(three.runDir);
    expect(r1.verdict.references).toBe(1);
    expect(r1.verdict.noise.referenceSpread).toBe(false);
    expect(r3.verdict.references).toBe(3);
    expect(r3.verdict.noise.referenceSpread).toBe(true);
    // The report's reference column is the first reference, the same model as with one reference.
    const forgetAcc = (r: typeof r1) => r.metrics.find((m) => m.id === 'acc.forget')!.values.reference;
    expect(forgetAcc(r3)).toBe(forgetAcc(r1));
    // The verdict's target is the mean of the three, judged with a band that includes their spread.
    const evidence = (r: typeof r1) => r.verdict.forgetting.metrics.find((m) => m.metric === 'acc.forget')!;
    expect(evidence(r1).targetLabel).toBe('reference');
    expect(evidence(r3).targetLabel).toBe('mean of 3 references');
    expect(evidence(r3).band).toBeGreaterThan(0);
    expect(readdirSync(three.runDir).filter((f) => f.endsWith('.onnx')).sort()).toEqual(['fmnist-mlp.retrain.onnx', 'fmnist-mlp.unlearned.onnx']);
  });

  it('evaluates a prediction-only method (DM-Direct) from its predicted outputs and writes no checkpoint', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lethe-dmdirect-'));
    const forget = join(dir, 'small.forget.json');
    writeFileSync(forget, JSON.stringify({ version: 1, dataset: join(example, 'data'), selection: { kind: 'indices', indices: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] } }));
    const { report, runDir } = await runJob(
      { ...job, forget, method: 'dm-direct', params: { gradientParams: 'last-layer', projDim: 256 }, reference: { retrain: false }, evaluation: { mia: false }, output: dir },
      { baseDir: root },
    );
    expect(readdirSync(runDir).filter((f) => f.endsWith('.onnx'))).toEqual([]);
    expect(report.models.unlearned).toBeUndefined();
    const forgetAcc = report.metrics.find((m) => m.id === 'acc.forget')!;
    expect(forgetAcc.values.unlearned).toBeGreaterThanOrEqual(0);
    // The predictions differ from the original's outputs (the forget set's attributions were subtracted):
    // RF-JSD compares the forget-set outputs with the original's test outputs.
    const rf = report.metrics.find((m) => m.id === 'rfjsd.lotus')!;
    expect(rf.values.unlearned).not.toBe(rf.values.original);
    expect(report.log.some((l) => l.includes('no checkpoint is written'))).toBe(true);
  });

  it("uses the checkpoint's recorded recipe, derives the method's budget from it, and warns before a method costlier than a retrain", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lethe-recipe-'));
    const model = join(dir, 'recorded.onnx');
    const recipe = { epochs: 1, batchSize: 128, optimizer: 'sgd', lr: 0.05, momentum: 0.9, weightDecay: 5e-4, schedule: 'cosine' };
    const original = await readModelFile(job.model);
    await writeModelFile(model, { ...original, metadata: { ...original.metadata, 'lethe.recipe': JSON.stringify(recipe) } });
    const lines: string[] = [];
    const { report } = await runJob(
      { ...job, model, method: 'del', params: {}, training: undefined, reference: { retrain: true }, evaluation: { mia: false, jsd: false }, output: dir },
      { baseDir: root, log: (level, message) => lines.push(`[${level}] ${message}`) },
    );
    expect(lines).toContain("[info] recipe: from the checkpoint's metadata (sgd, lr 0.05, 1 epoch, batch 128, cosine)");
    // DEL fine-tunes for E₀ epochs at 0.15·lr₀ with the original's batch (docs/methods.md §2.7).
    expect(report.method!.params).toMatchObject({ epochs: 1, batchSize: 128, optimizer: 'sgd' });
    expect(report.method!.params.lr).toBeCloseTo(0.0075, 12);
    const warning = lines.findIndex((l) => /^\[warn\] DEL \(deletion by example localization\) will cost about \d+ example-gradients, 1\.\d\d× a retrain .*: it runs longer than retraining would$/.test(l));
    expect(warning, lines.join('\n')).toBeGreaterThanOrEqual(0);
    // Said before anything trains: before the reference and the method.
    expect(warning).toBeLessThan(lines.findIndex((l) => l.includes('retrain reference finished')));
    expect(warning).toBeLessThan(lines.findIndex((l) => l.includes('finished in')));
    expect(report.log).toContain(`[warn] ${lines[warning].slice('[warn] '.length)}`);
  });
});
