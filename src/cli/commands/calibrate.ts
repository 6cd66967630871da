import { resolve } from 'node:path';
import { calibrate, describeSettings, trialLine, type Budget, type Shard } from '../../engine/calibrate/calibrate';
import { mergeFiles } from '../../engine/calibrate/file';
import type { CalibrationFile } from '../../engine/contracts/calibration';
import { LetheError } from '../../engine/util/errors';
import { parse, required, wholeNumber } from '../args';
import { print } from '../common';

export const help = `lethe calibrate --model M --data D --out CAL [--forget-like F] [--methods a,b,...] [--budget N | Ns | Nm]
    [--seed S] [--shard i/N] [--threads T] [--json]
lethe calibrate --merge CAL.part-* --out CAL [--json]
  Once per model and dataset: draws a proxy forget set like F (same size and kind), retrains a reference without
  it, tries each method's learning rate, epochs and one method-specific knob on the proxy, judges every trial
  with the verdict against that reference, and writes CAL: per method the chosen setting, and the best method.
  Jobs then take it (calibration: CAL in the job, or lethe unlearn --calibration CAL). --budget caps the trials
  (N) or the seconds (Ns, Nm); --shard i/N runs trials i mod N into CAL.part-i-of-N, which --merge joins.
  Progress lines go to stderr. See docs/calibration.md.`;

export async function run(argv: string[]): Promise<void> {
  const { merge, rest } = mergeList(argv);
  const v = parse('calibrate', rest, {
    model: { type: 'string' }, data: { type: 'string' }, out: { type: 'string' }, 'forget-like': { type: 'string' }, methods: { type: 'string' },
    budget: { type: 'string' }, seed: { type: 'string' }, shard: { type: 'string' }, threads: { type: 'string' },
  });
  const out = resolve(required(v, 'out', 'calibrate'));
  const json = v.json === true;
  if (merge) {
    const file = await mergeFiles(merge.map((p) => resolve(p)), out);
    print(json, file, () => summary(file, out));
    return;
  }
  let last = { message: '', fraction: -1 };
  const { file, path } = await calibrate({
    model: resolve(required(v, 'model', 'calibrate')),
    data: resolve(required(v, 'data', 'calibrate')),
    out,
    ...(v['forget-like'] ? { forgetLike: resolve(v['forget-like'] as string) } : {}),
    ...(v.methods ? { methods: (v.methods as string).split(',').map((m) => m.trim()).filter(Boolean) } : {}),
    ...(v.budget ? { budget: parseBudget(v.budget as string) } : {}),
    seed: wholeNumber(v, 'seed', 0),
    ...(v.shard ? { shard: parseShard(v.shard as string) } : {}),
    threads: wholeNumber(v, 'threads', 0),
    // Lines, not a bar: calibration runs for long, often under a scheduler whose log is a file. A line per step,
    // and within a step (a trial's epochs, the reference's) one per 5% of the whole.
    progress: (f, m) => {
      const step = m.split(': ')[0];
      if (step === last.message && f - last.fraction < 0.05) return;
      process.stderr.write(`[${(f * 100).toFixed(0).padStart(3)}%] ${m}\n`);
      last = { message: step, fraction: f };
    },
    log: (level, m) => {
      if (level !== 'debug') process.stderr.write(`${level === 'warn' ? 'warning: ' : ''}${m}\n`);
    },
  });
  print(json, file, () => summary(file, path));
}

/** `--merge a b c` takes every argument up to the next option (a shell glob expands into many). */
function mergeList(argv: string[]): { merge?: string[]; rest: string[] } {
  const at = argv.indexOf('--merge');
  if (at < 0) return { rest: argv };
  let end = at + 1;
  while (end < argv.length && !argv[end].startsWith('--')) end++;
  const merge = argv.slice(at + 1, end);
  if (merge.length === 0) throw new LetheError('--merge needs the partial files to merge (CAL.part-*)');
  return { merge, rest: [...argv.slice(0, at), ...argv.slice(end)] };
}

/** "40" trials, "90s" or "30m" of wall time. */
export function parseBudget(text: string): Budget {
  const m = /^(\d+(?:\.\d+)?)([sm]?)$/.exec(text.trim());
  if (!m || Number(m[1]) <= 0 || (m[2] === '' && !Number.isInteger(Number(m[1])))) throw new LetheError(`--budget "${text}" is not a number of trials (40) or of seconds or minutes (90s, 30m)`);
  const n = Number(m[1]);
  return m[2] === '' ? { trials: n } : { seconds: m[2] === 'm' ? n * 60 : n };
}

/** "i/N" with 0 ≤ i < N, N ≥ 2. */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const [index, count] = m ? [Number(m[1]), Number(m[2])] : [NaN, NaN];
  if (!m || count < 2 || index >= count) throw new LetheError(`--shard "${text}" is not i/N with 0 ≤ i < N and N ≥ 2 (e.g. 0/4)`);
  return { index, count };
}

export function summary(file: CalibrationFile, path: string): string {
  const p = file.proxy;
  const rows = file.calibrated.map((c) => `  ${(c.method === file.recommended ? '* ' : '  ') + c.method.padEnd(14)} ${describeSettings(c.settings).padEnd(34)} ${trialLine({ ...c, id: c.trial })}`);
  return [
    `Calibration of ${file.model.file} on ${file.data.path}: proxy of ${p.size} (${p.kind}${p.forgetLike ? `, like ${p.forgetLike}` : ''}); reference retrained in ${file.reference.seconds.toFixed(1)} s (forget acc ${file.reference.forgetAccuracy.toFixed(3)}, test ${file.reference.testAccuracy.toFixed(3)})`,
    `${file.trials.length} trial(s) of ${file.planned.length} planned${file.skipped.length ? `, ${file.skipped.length} not run` : ''}${file.shard ? ` (shard ${file.shard.index} of ${file.shard.count}: merge with --merge)` : ''}; ${file.seconds.toFixed(0)} s`,
    ...rows,
    file.recommended ? `  recommended: ${file.recommended}` : '  no trial succeeded: nothing to recommend',
    `  calibration file: ${path}`,
  ].join('\n');
}
