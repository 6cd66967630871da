/**
 * Outputs appear complete or not at all: write into a temporary sibling, then rename into place
 * (rename is atomic within one filesystem).
 */
import { chmod, mkdir, rename, rm, writeFile, mkdtemp } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';

export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/**
 * A staging folder for a run: fill it, then `commit()` renames it to its final name.
 * `abort()` (or a crash before commit) leaves only a hidden `.tmp` folder, removed by `sweepStaging`.
 */
export async function stageDirectory(finalPath: string): Promise<{ dir: string; commit(): Promise<void>; abort(): Promise<void> }> {
  const parent = dirname(finalPath);
  await mkdir(parent, { recursive: true });
  const dir = await mkdtemp(join(parent, `.${basename(finalPath)}.staging-`));
  await chmod(dir, 0o755); // mkdtemp makes it private; a run folder is an ordinary folder
  return {
    dir,
    commit: () => rename(dir, finalPath),
    abort: () => rm(dir, { recursive: true, force: true }),
  };
}
