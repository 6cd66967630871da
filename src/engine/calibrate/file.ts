/**
 * Calibration files on disk: written atomically (validated first), and the shards' partial files merged into one
 * file, which must equal what one unsharded run writes over the same trials (docs/calibration.md, "Sharding").
 */
import { basename } from 'node:path';
import { CalibrationFile } from '../contracts/calibration';
import { readCalibrationFile } from '../job/calibration';
import { writeFileAtomic } from '../util/atomic';
import { LetheError } from '../util/errors';
import { summarise } from './select';

export async function writeCalibration(path: string, file: CalibrationFile): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(CalibrationFile.parse(file), null, 2) + '\n');
}

/** What every shard of one calibration agrees on; a part that differs belongs to another calibration. */
const SHARED_KEYS = ['model', 'data', 'proxy', 'seed', 'recipe', 'reference', 'methods', 'planned'] as const;

/** One file from every shard's part, its trials in plan order; refuses parts of different calibrations and missing shards. */
export function mergeParts(parts: { path: string; file: CalibrationFile }[]): CalibrationFile {
  if (parts.length === 0) throw new LetheError('nothing to merge: name the partial files (CAL.part-*)');
  const [first] = parts;
  for (const p of parts) {
    if (!p.file.shard) throw new LetheError('is not a shard\'s partial file (it has no "shard"); it is already a whole calibration', p.path);
    const differs = SHARED_KEYS.find((key) => JSON.stringify(p.file[key]) !== JSON.stringify(first.file[key]));
    if (differs) throw new LetheError(`belongs to another calibration than ${basename(first.path)}: their "${differs}" differ`, p.path);
  }
  const count = first.file.shard!.count;
  const seen = new Map<number, string>();
  for (const p of parts) {
    const { index, count: n } = p.file.shard!;
    if (n !== count) throw new LetheError(`is shard ${index} of ${n}, but ${basename(first.path)} is one of ${count}`, p.path);
    if (seen.has(index)) throw new LetheError(`is shard ${index} of ${count} again (also ${basename(seen.get(index)!)})`, p.path);
    seen.set(index, p.path);
  }
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !seen.has(i));
  if (missing.length) throw new LetheError(`shard${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of ${count} missing: run \`lethe calibrate --shard i/${count}\` for ${missing.length > 1 ? 'them' : 'it'} first`);
  const order = new Map(first.file.planned.map((id, i) => [id, i]));
  const trials = parts.flatMap((p) => p.file.trials).sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  const ran = new Set(trials.map((t) => t.id));
  const { shard: _, ...shared } = first.file;
  return {
    ...shared,
    skipped: first.file.planned.filter((id) => !ran.has(id)),
    trials,
    ...summarise(trials, first.file.methods),
    // The shards ran side by side: the calibration took as long as the slowest.
    seconds: Math.max(...parts.map((p) => p.file.seconds)),
  };
}

export async function mergeFiles(paths: string[], out: string): Promise<CalibrationFile> {
  const parts = [];
  for (const path of paths) parts.push({ path, file: await readCalibrationFile(path) });
  const merged = mergeParts(parts);
  await writeCalibration(out, merged);
  return merged;
}
