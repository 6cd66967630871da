/**
 * The calibration step of a job (`calibration:` in the spec, docs/calibration.md): the method parameters the job
 * leaves unset come from the calibrated setting, and a job that names no method runs the best calibrated one.
 * A calibration file made for another model or dataset is refused, naming both. The request's own forget set is
 * never retrained here: calibration judged its settings on a proxy.
 */
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { CalibrationFile } from '../contracts/calibration';
import { BEST_CALIBRATED, type JobSpecInput } from '../contracts/jobSpec';
import { zodToLetheError } from '../data/zodError';
import { readText } from '../data/fileBytes';
import { hashPath, sha256File } from '../report/provenance';
import { LetheError } from '../util/errors';
import type { JobPath } from './jobPaths';
import type { Say } from './reporting';
import { datasetFiles } from './resources';

export async function readCalibrationFile(file: string): Promise<CalibrationFile> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readText(file));
  } catch (e) {
    throw new LetheError(`not a calibration file: ${(e as Error).message.split('\n')[0]}`, file);
  }
  const parsed = CalibrationFile.safeParse(raw);
  if (!parsed.success) throw zodToLetheError(parsed.error, file);
  return parsed.data;
}

/**
 * One digest for a dataset: sha256 over the sorted (name, sha256) of the files it is read from (a descriptor and
 * what it names, the MNIST files of a folder), else of every file under the path.
 */
export async function datasetSha256(dataPath: string): Promise<string> {
  const files = await datasetFiles(dataPath);
  const hashes = files.length > 0 ? await Promise.all(files.map(async (f) => ({ path: basename(f), sha256: await sha256File(f) }))) : await hashPath('data', dataPath, dataPath);
  const lines = hashes.map((h) => `${h.sha256}  ${h.path}`).sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

/** The same file for the calibration and the job, or a refusal naming both files and both hashes. */
export function requireSameInput(what: 'model' | 'dataset', calibrationFile: string, made: { name: string; sha256: string }, found: { name: string; sha256: string }): void {
  if (made.sha256 === found.sha256) return;
  const short = (h: string) => `sha256 ${h.slice(0, 12)}…`;
  throw new LetheError(
    `was made for the ${what} ${made.name} (${short(made.sha256)}), but this job's ${what} is ${found.name} (${short(found.sha256)}); calibrate this ${what} with \`lethe calibrate\``,
    calibrationFile,
  );
}

/**
 * The job input with the calibration applied: the method (the job's, else the best calibrated one) and its
 * calibrated parameters under the job's own. Works on the raw input so "no method given" stays visible.
 */
export async function withCalibration(input: JobSpecInput, path: JobPath, say: Say): Promise<JobSpecInput> {
  // A spec too broken to name its files is left for the parser to refuse, key by key.
  if (typeof input?.calibration !== 'string' || typeof input.model !== 'string' || typeof input.data !== 'string' || input.kind === 'audit') return input;
  const file = path(input.calibration, 'calibration');
  const cal = await readCalibrationFile(file);
  const modelPath = path(input.model, 'model');
  const dataPath = path(input.data, 'data');
  requireSameInput('model', file, { name: cal.model.file, sha256: cal.model.sha256 }, { name: basename(modelPath), sha256: await sha256File(modelPath) });
  requireSameInput('dataset', file, { name: cal.data.path, sha256: cal.data.sha256 }, { name: basename(dataPath), sha256: await datasetSha256(dataPath) });
  const named = input.method !== undefined && input.method !== BEST_CALIBRATED;
  const method = named ? input.method : cal.recommended;
  if (method === undefined) throw new LetheError('no trial succeeded in this calibration, so it recommends no method; name one under `method`', file);
  const chosen = cal.calibrated.find((c) => c.method === method);
  const note = (m: string) => say('info', `calibration ${basename(file)}: ${m}`);
  if (!chosen) {
    note(`${method} was not calibrated; it runs with its own defaults`);
    return input;
  }
  const own = input.params ?? {};
  const set = Object.entries(chosen.params).filter(([k]) => !(k in own)).map(([k, v]) => `${k}=${v}`);
  note(`${named ? `${method} (named by the job)` : `${method}, the best calibrated method`}: ${chosen.forgetting} / utility ${chosen.utility ?? '—'} on a proxy of ${cal.proxy.size} (${cal.proxy.kind}); parameters from the calibration: ${set.join(', ') || 'none (the job sets them all)'}`);
  return { ...input, method, params: { ...chosen.params, ...own } };
}
