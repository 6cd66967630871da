/**
 * The run folder, staged and then renamed into place so a folder under the output root is always complete: the
 * written checkpoints with their lineage, report.json with its provenance (the hashes of every input and
 * output), provenance.json and report.html.
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import type { KeyObject } from 'node:crypto';
import { dirname, join, relative } from 'node:path';
import type { JobSpec } from '../contracts/jobSpec';
import { REPORT_SCHEMA_VERSION, type FileHash, type ModelRole, type Report } from '../contracts/report';
import type { Model } from '../graph/ir';
import { hashPath, sealRun } from '../report/provenance';
import { stageDirectory } from '../util/atomic';
import { saveCheckpoint, type CheckpointFormat } from './checkpoint';
import type { Evaluated, Evaluation } from './evaluateModels';
import type { InputFingerprints } from './inputFingerprints';
import type { JobPath } from './jobPaths';
import type { Say } from './reporting';
import { LETHE_VERSION, onnxruntimeVersion } from './versions';

export interface RunJobResult {
  report: Report;
  runDir: string;
}

/** Everything a finished job reports: what was evaluated, the evaluation, and where it all came from. */
export interface FinishedJob extends Omit<Evaluated, 'klomCache'>, Evaluation {
  jobFile?: string;
  /** From `newRunName`, when the job started. */
  runName: string;
  /** The inputs as they were read, rechecked before the run folder is committed. */
  inputs: InputFingerprints;
  /** The user's Ed25519 key: provenance.json is signed into provenance.sig. */
  signKey?: KeyObject;
  path: JobPath;
  /** `performance.now()` when the job started. */
  started: number;
  /** The log lines so far. */
  log: string[];
  format: CheckpointFormat;
  dataPath: string;
}

export async function writeRun(outRoot: string, job: FinishedJob, say: Say, checkCancel: () => void): Promise<RunJobResult> {
  const { spec, modelPath, format, reference } = job;
  const { runName } = job;
  const runDir = join(outRoot, runName);
  const stage = await stageDirectory(runDir);
  try {
    const createdAt = new Date().toISOString();
    const written: { role: ModelRole; file: string }[] = [];
    if (job.outcome?.unlearned) {
      const out = await saveCheckpoint(annotate(job.outcome.unlearned, 'unlearned', modelPath, runDir, spec.method), format, modelPath, stage.dir, 'unlearned');
      written.push({ role: 'unlearned', file: out });
    }
    if (reference.trained) {
      const out = await saveCheckpoint(annotate(reference.trained, 'reference', modelPath, runDir, 'retrain'), format, modelPath, stage.dir, 'retrain');
      written.push({ role: 'reference', file: out });
    }
    // Hashes are recorded relative to the FINAL run folder, so `lethe verify` works after the rename;
    // outputs sit inside it, so their path relative to the staging folder is the same. Inputs were hashed as read.
    const { data } = job;
    const inputs = job.inputs.hashes(runDir);
    const outputs: FileHash[] = [];
    for (const w of written) {
      // A TF.js checkpoint is its model.json and the weight shards beside it.
      outputs.push(...(await hashPath(w.role === 'unlearned' ? 'model.out' : 'reference.out', format === 'tfjs' ? dirname(w.file) : w.file, stage.dir)));
    }
    const { context, method, outcome } = job;
    const params = context.params;
    const unlearnSeconds = outcome?.seconds;
    const totalSeconds = (performance.now() - job.started) / 1000;
    const report: Report = {
      schemaVersion: REPORT_SCHEMA_VERSION,
      kind: spec.kind,
      name: spec.name ?? runName,
      createdAt,
      job: spec,
      method: method ? { name: method.name, title: method.title, citation: method.citation, params } : undefined,
      seed: spec.seed,
      models: {
        original: { path: relative(runDir, modelPath), sha256: inputs.find((i) => i.role === 'model.in' && i.path === relative(runDir, modelPath))?.sha256 ?? '', format },
        ...Object.fromEntries(
          written.map((w) => {
            const rel = relative(stage.dir, w.file);
            return [w.role, { path: rel, sha256: outputs.find((o) => o.path === rel)?.sha256 ?? '', format }];
          }),
        ),
      },
      dataset: {
        path: relative(runDir, job.dataPath),
        classNames: data.classNames,
        sizes: { train: data.train.n, test: job.test.length, forget: context.forget.length, retain: context.retain.length, validation: context.validation.length },
      },
      ...(job.evaluation.verdict ? { verdict: job.evaluation.verdict } : {}),
      metrics: job.evaluation.metrics,
      perClass: job.evaluation.perClass,
      histograms: job.evaluation.histograms,
      attribution: job.attribution,
      timings: {
        unlearnSeconds,
        referenceSeconds: reference.seconds,
        speedup: unlearnSeconds && reference.seconds ? reference.seconds / unlearnSeconds : undefined,
        totalSeconds,
      },
      log: [...job.log, ...(outcome?.notes ?? []).map((n) => `[note] ${n}`)],
      provenance: {
        lethe: LETHE_VERSION,
        node: process.version,
        onnxruntime: onnxruntimeVersion(),
        platform: `${process.platform}-${process.arch}`,
        createdAt,
        inputs,
        outputs,
        method: method?.name ?? 'audit',
        params,
        seed: spec.seed,
        timings: { totalSeconds, ...(unlearnSeconds !== undefined ? { unlearnSeconds } : {}), ...(reference.seconds !== undefined ? { referenceSeconds: reference.seconds } : {}) },
      },
    };
    await writeFile(join(stage.dir, 'report.json'), JSON.stringify(report, null, 2));
    await writeReportHtml(report, stage.dir, say);
    await sealRun(stage.dir, report.provenance, job.signKey);
    checkCancel();
    await job.inputs.recheck();
    await stage.commit();
    return { report, runDir };
  } catch (e) {
    await stage.abort();
    throw e;
  }
}

/**
 * The run folder's name, chosen when the job starts: its start time to the millisecond, the method and a random
 * suffix, so jobs started together into one output folder never pick the same name (and commit refuses to replace
 * an existing folder in any case).
 */
export function newRunName(spec: JobSpec): string {
  const time = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 23);
  return `${time}-${spec.kind === 'unlearn' ? spec.method : 'audit'}-${randomBytes(3).toString('hex')}`;
}

/**
 * Lineage metadata on a written checkpoint: what it is, where it came from, how. No time and no run folder name:
 * the same job and seed give the same bytes (the provenance holds when).
 */
function annotate(model: Model, role: 'unlearned' | 'reference', original: string, runDir: string, method: string): Model {
  return {
    ...model,
    metadata: {
      ...model.metadata,
      'lethe.role': role,
      'lethe.parent': relative(runDir, original),
      'lethe.method': method,
      'lethe.version': LETHE_VERSION,
    },
  };
}

async function writeReportHtml(report: Report, dir: string, say: Say): Promise<void> {
  const { renderReportHtml, loadWebviewBundle } = await import('../report/html');
  const bundle = await loadWebviewBundle().catch(() => undefined);
  if (!bundle) {
    say('warn', 'report.html not written: the report viewer bundle (dist/webview.js) is missing; run `npm run build`');
    return;
  }
  await writeFile(join(dir, 'report.html'), renderReportHtml(report, bundle));
}
