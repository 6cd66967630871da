import { resolve } from 'node:path';
import { runJob } from '../../engine/job/run';
import type { Report } from '../../engine/contracts/report';
import { parse, required, wholeNumber } from '../args';
import { print } from '../common';
import { progressBar } from '../progress';
import { summary } from './unlearn';

export const help = `lethe audit --model M --data D [--forget F] [--reference R.onnx ...] [--out DIR] [--json]
  Every applicable metric for a checkpoint: accuracies per split and class, MIA, JSD/RF-JSD against the
  references when given. With --json, prints {"verdict": ..., "metrics": {id: {value, reference, direction, definition}}, ...}.`;

export async function run(argv: string[]): Promise<void> {
  const v = parse('audit', argv, {
    model: { type: 'string' }, data: { type: 'string' }, forget: { type: 'string' }, reference: { type: 'string', multiple: true },
    out: { type: 'string' }, seed: { type: 'string' }, threads: { type: 'string' },
  });
  const bar = progressBar(v.json !== true);
  const { report, runDir } = await runJob(
    {
      kind: 'audit',
      model: resolve(required(v, 'model', 'audit')),
      data: resolve(required(v, 'data', 'audit')),
      ...(v.forget ? { forget: resolve(v.forget as string) } : {}),
      reference: { retrain: false, checkpoints: ((v.reference as string[] | undefined) ?? []).map((r) => resolve(r)) },
      ...(v.out ? { output: resolve(v.out as string) } : {}),
      ...(v.seed ? { seed: wholeNumber(v, 'seed') } : {}),
      ...(v.threads ? { threads: wholeNumber(v, 'threads') } : {}),
    },
    { baseDir: process.cwd(), progress: (f, m) => bar.update(f, m) },
  );
  bar.done();
  print(v.json === true, auditJson(report, runDir), () => summary(report, runDir));
}

/** The machine form: one entry per metric, valued on the audited model, with the reference model's value when known. */
function auditJson(report: Report, runDir: string) {
  return {
    model: report.models.original,
    dataset: report.dataset,
    runDir,
    verdict: report.verdict ?? null,
    metrics: Object.fromEntries(
      report.metrics.map((m) => [
        m.id,
        { value: m.values.original ?? null, reference: m.values.reference ?? null, direction: m.direction, definition: m.definition, label: m.label, referenceValue: m.referenceValue ?? null },
      ]),
    ),
    provenance: report.provenance,
  };
}
