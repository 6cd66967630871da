/**
 * Path confinement: every path a job names resolves against the job file's folder and, when the job runs for a
 * workspace, must stay inside it (through `..` or a symlink alike), so a shared job file cannot read or write
 * elsewhere on the machine.
 */
import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { LetheError } from '../util/errors';

/** Resolves a path the job names; `what` names it in the refusal ("model", "forget set", …). */
export type JobPath = (p: string, what: string) => string;

/**
 * The resolver for one job: relative to `baseDir`, confined to `workspaceRoot` when given. `rootName` says what
 * the root is in a refusal (the CLI's root is the job file's folder, with the flag that lifts the limit).
 */
export function jobPaths(baseDir: string, workspaceRoot?: string, rootName = 'the workspace'): JobPath {
  return (p, what) => resolveInside(baseDir, p, what, workspaceRoot, rootName);
}

/** Resolve a job path; with a workspace root, refuse paths that escape it (through `..` or a symlink). */
function resolveInside(baseDir: string, p: string, what: string, root: string | undefined, rootName: string): string {
  const full = isAbsolute(p) ? p : resolve(baseDir, p);
  if (root) {
    const r = realLocation(resolve(root));
    const real = realLocation(full);
    // A root of "/" already ends in the separator: appending another would refuse every path.
    if (real !== r && !real.startsWith(r.endsWith(sep) ? r : r + sep)) throw new LetheError(`${what} path "${p}" is outside ${rootName}; refused`);
  }
  return full;
}

/** Where `p` really is, symlinks resolved; for a path that does not exist yet, below its nearest existing ancestor. */
function realLocation(p: string): string {
  const missing: string[] = [];
  let head = p;
  while (!existsSync(head) && dirname(head) !== head) {
    missing.unshift(basename(head));
    head = dirname(head);
  }
  return join(realpathSync(head), ...missing);
}
