/**
 * Provenance: SHA-256 of every input and output of a run, with versions, parameters, seed and timings,
 * so an auditor can check later that the files are the ones the report speaks about (`lethe verify`).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat, readdir } from 'node:fs/promises';
import { join, relative, resolve, isAbsolute } from 'node:path';
import type { FileHash, Provenance } from '../contracts/report';
import { LetheError } from '../util/errors';

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  await new Promise<void>((ok, fail) => {
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => ok())
      .on('error', fail);
  });
  return hash.digest('hex');
}

/** Hash a file, or every file under a folder (sorted, so the digest does not depend on listing order). */
export async function hashPath(role: string, path: string, relativeTo: string): Promise<FileHash[]> {
  const s = await stat(path);
  if (!s.isDirectory()) {
    return [{ role, path: relative(relativeTo, path) || '.', sha256: await sha256File(path), bytes: s.size }];
  }
  const entries = (await readdir(path, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
  const out: FileHash[] = [];
  for (const f of entries) out.push(...(await hashPath(role, f, relativeTo)));
  return out;
}

/** A hand-edited or corrupted provenance entry is refused, not hashed as whatever it happens to hold. */
function isFileHash(h: unknown): h is FileHash {
  const e = h as Partial<FileHash> | null;
  return typeof e === 'object' && e !== null && typeof e.role === 'string' && typeof e.path === 'string' && typeof e.sha256 === 'string' && /^[0-9a-f]{64}$/.test(e.sha256);
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  mismatches: string[];
}

/**
 * Recompute every hash in `RUN_DIR/provenance.json`. Input paths are stored relative to the run folder,
 * so a moved workspace still verifies as long as the files moved together.
 */
export async function verifyRun(runDir: string): Promise<VerifyResult> {
  const file = join(runDir, 'provenance.json');
  let prov: Provenance;
  try {
    prov = JSON.parse(await readFile(file, 'utf8')) as Provenance;
  } catch (e) {
    throw new LetheError(`cannot read provenance (${(e as Error).message})`, file);
  }
  if (!Array.isArray(prov.inputs) || !Array.isArray(prov.outputs)) throw new LetheError('no inputs/outputs lists', file);
  for (const list of ['inputs', 'outputs'] as const) {
    const bad = (prov[list] as unknown[]).findIndex((h) => !isFileHash(h));
    if (bad >= 0) throw new LetheError('expected {role, path, sha256} with a 64-digit hex SHA-256', file, `${list}[${bad}]`);
  }
  const mismatches: string[] = [];
  let checked = 0;
  for (const h of [...prov.inputs, ...prov.outputs]) {
    const path = isAbsolute(h.path) ? h.path : resolve(runDir, h.path);
    checked++;
    try {
      const actual = await sha256File(path);
      if (actual !== h.sha256) mismatches.push(`${h.role} ${h.path}: sha256 ${actual.slice(0, 12)}… differs from recorded ${h.sha256.slice(0, 12)}…`);
    } catch {
      mismatches.push(`${h.role} ${h.path}: missing`);
    }
  }
  return { ok: mismatches.length === 0, checked, mismatches };
}
