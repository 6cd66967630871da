/**
 * Outputs appear complete or not at all: write into a temporary sibling, then rename into place
 * (rename is atomic within one filesystem).
 */
import { access, chmod, constants, mkdir, readdir, rename, rm, stat, writeFile, mkdtemp } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { LetheError } from './errors';

export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** `.<run name>.staging-<pid>-<random>`: the pid says which process owns the folder. */
const STAGING_NAME = /^\..+\.staging-(\d+)-[^.]+$/;

/**
 * A staging folder for a run: fill it, then `commit()` renames it to its final name.
 * `abort()` removes it; a process killed before either leaves a hidden staging folder that `sweepStaging`
 * removes at the start of a later run.
 */
export async function stageDirectory(finalPath: string): Promise<{ dir: string; commit(): Promise<void>; abort(): Promise<void> }> {
  const parent = dirname(finalPath);
  await mkdir(parent, { recursive: true });
  const dir = await mkdtemp(join(parent, `.${basename(finalPath)}.staging-${process.pid}-`));
  await chmod(dir, 0o755); // mkdtemp makes it private; a run folder is an ordinary folder
  return {
    dir,
    async commit() {
      try {
        await rename(dir, finalPath);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ENOTEMPTY' || code === 'EEXIST') throw new LetheError('the run folder already exists; not overwritten', finalPath);
        throw e;
      }
    },
    abort: () => rm(dir, { recursive: true, force: true }),
  };
}

/**
 * Refuses, before any work, a `parent` that could not receive a staged folder: it, or its nearest existing
 * ancestor, is a file or is not writable. Otherwise the failure would come after hours of training.
 */
export async function checkStagingParent(parent: string): Promise<void> {
  for (let dir = parent; ; dir = dirname(dir)) {
    const info = await stat(dir).catch(() => undefined);
    if (info) {
      if (!info.isDirectory()) throw new LetheError('is a file, not a folder: outputs cannot be written under it', dir);
      await access(dir, constants.W_OK).catch(() => {
        throw new LetheError('is not writable: outputs cannot be written under it', dir);
      });
      return;
    }
    if (dirname(dir) === dir) return;
  }
}

/**
 * Removes the staging folders that killed runs left in `parent`: only folders last changed before this process
 * started (`startedAt`, ms since the epoch) whose owning process is gone, so a concurrent run keeps its own.
 * Returns the folders removed.
 */
export async function sweepStaging(parent: string, startedAt: number = performance.timeOrigin): Promise<string[]> {
  const entries = await readdir(parent, { withFileTypes: true }).catch(() => []);
  const removed: string[] = [];
  for (const e of entries) {
    const owner = e.isDirectory() ? STAGING_NAME.exec(e.name)?.[1] : undefined;
    if (owner === undefined || isAlive(Number(owner))) continue;
    const dir = join(parent, e.name);
    const info = await stat(dir).catch(() => undefined);
    if (!info || info.mtimeMs >= startedAt) continue;
    await rm(dir, { recursive: true, force: true });
    removed.push(dir);
  }
  return removed;
}

const TEMP_FILE_NAME = /^\..+\.(\d+)\.[0-9a-f]{12}\.tmp$/;

/** Remove temporary files of `writeFileAtomic` left in `dir` by processes that were killed mid-write. */
export async function sweepTempFiles(dir: string): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const owner = TEMP_FILE_NAME.exec(name)?.[1];
    if (owner === undefined || isAlive(Number(owner))) continue;
    await rm(join(dir, name), { force: true });
    removed.push(join(dir, name));
  }
  return removed;
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0); // signal 0: only asks whether the process exists
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}
