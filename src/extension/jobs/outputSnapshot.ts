/**
 * Cancelling must leave no partial outputs. runJob stages each run in a hidden
 * `<output>/.<run>.staging-*` folder and renames it when complete, so after killing the worker we
 * remove the staging folders that appeared since the job started, and the output folder itself if the
 * job created it and it is now empty. Staging folders of other (earlier, crashed) runs are left alone.
 */
import { readdir, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';

const STAGING = /^\..+\.staging-/;

export interface OutputSnapshot {
  /** Removes what the job left behind; returns the paths removed. */
  discardNewStaging(): Promise<string[]>;
}

export async function snapshotOutputFolder(outputDir: string): Promise<OutputSnapshot> {
  const before = await entries(outputDir);
  return {
    async discardNewStaging() {
      const now = await entries(outputDir);
      if (!now) return [];
      const removed: string[] = [];
      for (const name of now) {
        if (STAGING.test(name) && !before?.has(name)) {
          await rm(join(outputDir, name), { recursive: true, force: true });
          removed.push(join(outputDir, name));
        }
      }
      if (!before && (await entries(outputDir))?.size === 0) {
        await rmdir(outputDir).catch(() => undefined); // something else may have written there meanwhile
        removed.push(outputDir);
      }
      return removed;
    },
  };
}

async function entries(dir: string): Promise<Set<string> | undefined> {
  try {
    return new Set(await readdir(dir));
  } catch {
    return undefined; // not created yet
  }
}
