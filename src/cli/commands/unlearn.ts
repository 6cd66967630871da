import { dirname, resolve } from 'node:path';
import { jobPaths } from '../../engine/job/jobPaths';
import { loadJobFile } from '../../engine/job/load';
import { loadSigningKey } from '../../engine/report/provenance';
import { runJob } from '../../engine/job/run';
import type { JobSpecInput } from '../../engine/contracts/jobSpec';
import type { LogLevel } from '../../engine/contracts/log';
import type { Report } from '../../engine/contracts/report';
import { LetheError } from '../../engine/util/errors';
import { verdictSentence } from '../../engine/contracts/verdictWords';
import { parse, wholeNumber } from '../args';
import { print } from '../common';
import { progressBar } from '../progress';

export const help = `lethe unlearn --job JOB.lethe.yaml [--workspace ROOT | --allow-outside-output] [--sign-key KEY.pem] [--json]
lethe unlearn --model M --data D --forget F [--method NAME] [--param k=v ...] [--out DIR] [--seed S]
    [--no-reference] [--calibration CAL] [--sign-key KEY.pem] [--json]
  Runs an unlearning job: writes the unlearned checkpoint (same format as the input), report.json,
  report.html and provenance.json into a new folder under the output folder. With --json, stdout is the report.
  --calibration CAL (lethe calibrate): parameters not given come from it, and without --method (or a job's
  method) its best calibrated method runs. A job whose estimated memory exceeds LETHE_MAX_MEMORY_MB (default: 80% of RAM) is refused before loading data.
  A job file's output: must lie inside the job file's folder (symlinks resolved); --workspace ROOT confines every
  path the job names to ROOT instead (as the VS Code extension does); --allow-outside-output lifts the limit on
  the output folder. An --out given on the command line is not limited.
  --sign-key KEY.pem (or LETHE_SIGN_KEY=KEY.pem): signs provenance.json with this Ed25519 private key into
  provenance.sig, which lethe verify --key PUB.pem checks.`;

export async function run(argv: string[]): Promise<void> {
  const v = parse('unlearn', argv, {
    job: { type: 'string' }, model: { type: 'string' }, data: { type: 'string' }, forget: { type: 'string' },
    method: { type: 'string' }, param: { type: 'string', multiple: true }, out: { type: 'string' }, seed: { type: 'string' },
    'no-reference': { type: 'boolean' }, threads: { type: 'string' }, calibration: { type: 'string' },
    workspace: { type: 'string' }, 'allow-outside-output': { type: 'boolean' }, 'sign-key': { type: 'string' },
  });
  // The key is read now, so a wrong one is refused before the work, not after it.
  const signKeyFile = (v['sign-key'] as string | undefined) ?? process.env.LETHE_SIGN_KEY;
  const signKey = signKeyFile ? await loadSigningKey(resolve(signKeyFile)) : undefined;
  const workspaceRoot = v.workspace ? resolve(v.workspace as string) : undefined;
  let spec: JobSpecInput;
  let baseDir = process.cwd();
  let jobFile: string | undefined;
  if (typeof v.job === 'string') {
    jobFile = resolve(v.job);
    spec = await loadJobFile(jobFile);
    baseDir = dirname(jobFile);
    if (!workspaceRoot && !v['allow-outside-output']) confineOutput(spec, baseDir);
  } else {
    if (!v.model || !v.data || !v.forget) throw new LetheError('give --job, or --model, --data and --forget (see "lethe unlearn --help")');
    spec = {
      model: v.model as string,
      data: v.data as string,
      forget: v.forget as string,
      ...(v.method ? { method: v.method as string } : {}),
      params: parseParams((v.param as string[] | undefined) ?? []),
      ...(v.out ? { output: v.out as string } : {}),
      ...(v.seed ? { seed: wholeNumber(v, 'seed') } : {}),
      ...(v['no-reference'] ? { reference: { retrain: false } } : {}),
    };
  }
  if (v.threads) spec = { ...spec, threads: wholeNumber(v, 'threads') };
  if (v.calibration) spec = { ...spec, calibration: resolve(v.calibration as string) };
  const bar = progressBar(v.json !== true);
  // Warnings (a default recipe, a method costlier than a retrain) are said as they happen, on stderr, before the work.
  const log = (level: LogLevel, message: string) => {
    if (level !== 'warn' && level !== 'error') return;
    bar.done();
    process.stderr.write(`lethe: ${level === 'warn' ? 'warning' : level}: ${message}\n`);
  };
  const { report, runDir } = await runJob(spec, { baseDir, workspaceRoot, jobFile, signKey, progress: (f, m) => bar.update(f, m), log });
  bar.done();
  print(v.json === true, report, () => summary(report, runDir));
}

/**
 * A job file is shared like code: its output folder stays inside the job file's folder, as the extension's worker
 * keeps every path inside the workspace, so a job file cannot make the CLI write elsewhere on the machine.
 */
function confineOutput(spec: JobSpecInput, jobFolder: string): void {
  if (spec.output === undefined) return; // the default is a folder beside the job file
  jobPaths(jobFolder, jobFolder, `the job file's folder ${jobFolder} (give --workspace ROOT or --allow-outside-output to write elsewhere)`)(spec.output, 'output');
}

/** "k=v" pairs; values parse as JSON when they can (numbers, booleans), else stay strings. */
function parseParams(pairs: string[]): Record<string, unknown> {
  // No prototype: `--param __proto__=…` becomes a key of its own, which the method refuses as unknown.
  const out: Record<string, unknown> = Object.create(null);
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new LetheError(`--param "${p}" is not key=value`);
    const raw = p.slice(eq + 1);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      /* a plain string */
    }
    out[p.slice(0, eq)] = value;
  }
  return out;
}

export function summary(report: Report, runDir: string): string {
  const roles = ['original', 'unlearned', 'reference'] as const;
  const fmt = (x: number | undefined, unit?: string) => (x === undefined ? '—' : unit === '%' ? `${x.toFixed(2)}%` : x.toFixed(4));
  const rows = report.metrics.map((m) => `  ${m.label.padEnd(34)} ${roles.map((r) => fmt(m.values[r], m.unit).padStart(11)).join(' ')}`);
  const t = report.timings;
  return [
    ...(report.verdict ? [verdictSentence(report.verdict)] : []),
    `${report.method?.title ?? 'Audit'} on ${report.dataset.sizes.forget} forget / ${report.dataset.sizes.retain} retain examples (seed ${report.seed})`,
    `  ${''.padEnd(34)} ${roles.map((r) => r.padStart(11)).join(' ')}`,
    ...rows,
    `  time: method ${t.unlearnSeconds?.toFixed(1) ?? '—'} s, retrain reference ${t.referenceSeconds?.toFixed(1) ?? '—'} s${t.speedup ? `, speed-up ${t.speedup.toFixed(1)}×` : ''}, total ${t.totalSeconds.toFixed(1)} s`,
    `  run folder: ${runDir}`,
  ].join('\n');
}
