/**
 * Provenance of what a job really read. Each input file's identity (size, times, inode) is noted before its reader
 * runs; its SHA-256 is taken right after, and the identity must be unchanged across the read and the hash, and
 * once more before the run folder is committed. A file changed while it was read, or later during the run, fails
 * the job naming it, so the hashes provenance.json records are those of the bytes the job used.
 */
import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import type { FileHash } from '../contracts/report';
import type { DatasetSplits } from '../data/types';
import type { Model } from '../graph/ir';
import { tensorSource } from '../onnx/read';
import { readModelJson } from '../tfjs/format';
import { filesUnder, sha256RegularFile } from '../report/provenance';
import { LetheError } from '../util/errors';
import { checkpointFormat } from './checkpoint';

/**
 * What changes when a file's content does: a write moves size, mtime and ctime (ctime cannot be set back, as mtime
 * can), a replacement moves the inode or the device.
 */
type Identity = Pick<Stats, 'size' | 'mtimeMs' | 'ctimeMs' | 'ino' | 'dev'>;

const identity = (s: Stats): Identity => ({ size: s.size, mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs, ino: s.ino, dev: s.dev });
const same = (a: Identity, b: Identity) => a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.ino === b.ino && a.dev === b.dev;

const changed = (file: string, when: string) =>
  new LetheError(`changed ${when} (its size, modification time or inode differ from when it was read), so the run could not attest the bytes it used; no run folder was written`, file);

interface Fingerprint {
  role: string;
  file: string;
  sha256: string;
  identity: Identity;
}

export class InputFingerprints {
  private readonly noted = new Map<string, Identity>();
  private readonly recorded = new Map<string, Fingerprint>();

  /**
   * Runs `reader` between a note of `files` and their hashing, and records them under `role`. `filesRead` names what
   * the reader turned out to read (a dataset's files, a checkpoint's weight files) when it is more than `files`.
   */
  async read<T>(role: string, files: string[], reader: () => Promise<T>, filesRead: (result: T) => string[] | Promise<string[]> = () => files): Promise<T> {
    for (const f of files) {
      const s = await stat(f).catch(() => undefined); // a missing file is the reader's to report
      if (s) this.noted.set(resolve(f), identity(s));
    }
    const result = await reader();
    await this.record(role, await filesRead(result));
    return result;
  }

  /**
   * Hash files just read (a folder: every file under it) unless already recorded under an earlier role. Called
   * directly for a file read before the job began (the job file, read by the caller).
   */
  async record(role: string, files: string[]): Promise<void> {
    for (const file of (await Promise.all([...new Set(files.map((f) => resolve(f)))].map(filesUnder))).flat()) {
      if (this.recorded.has(file)) continue;
      const { sha256, stats } = await sha256RegularFile(file);
      const atHash = identity(stats);
      const before = this.noted.get(file);
      if (before && !same(before, atHash)) throw changed(file, 'while it was read');
      const after = await stat(file).catch(() => undefined);
      if (!after || !same(identity(after), atHash)) throw changed(file, 'while it was hashed');
      this.recorded.set(file, { role, file, sha256, identity: atHash });
    }
  }

  /** Every input must still be what it was when read; the last check before the run folder is committed. */
  async recheck(): Promise<void> {
    for (const f of this.recorded.values()) {
      const now = await stat(f.file).catch(() => undefined);
      if (!now || !same(identity(now), f.identity)) throw changed(f.file, 'during the run');
    }
  }

  /** The provenance entries, in the order the inputs were read, paths relative to `relativeTo` (the run folder). */
  hashes(relativeTo: string): FileHash[] {
    return [...this.recorded.values()].map((f) => ({ role: f.role, path: relative(relativeTo, f.file) || '.', sha256: f.sha256, bytes: f.identity.size }));
  }
}

/** Every file a checkpoint is read from: the .onnx and its external data, or model.json and its weight shards. */
export async function checkpointFiles(file: string, model: Model): Promise<string[]> {
  const dir = dirname(resolve(file));
  if (checkpointFormat(file) === 'tfjs') return [file, ...(await readModelJson(file)).weightsManifest.flatMap((g) => g.paths.map((p) => resolve(dir, p)))];
  const external = [...model.graph.initializers.values()].flatMap((t) => {
    const proto = tensorSource.get(t);
    const location = proto?.data_location === 1 ? proto.external_data?.find((e) => e.key === 'location')?.value : undefined;
    return location ? [resolve(dir, location)] : [];
  });
  return [file, ...external];
}

/** The files of checkpoints loaded from `files` into `models` (one model per file, in order). */
export async function checkpointsFiles(files: string[], models: Model[]): Promise<string[]> {
  return (await Promise.all(files.map((f, i) => checkpointFiles(f, models[i])))).flat();
}

/** The files a loaded dataset came from: its descriptor, if it has one, and every source of both splits. */
export function datasetInputFiles(data: DatasetSplits): string[] {
  const descriptor = data.path.endsWith('.json') || data.path.endsWith('.yaml') ? [data.path] : [];
  return [...descriptor, ...data.train.sources, ...data.test.sources];
}
