/**
 * Provenance: SHA-256 of every input and output of a run, with versions, parameters, seed and timings, so an
 * auditor can check later that the files are the ones the report speaks about (`lethe verify`).
 *
 * Order of writing: the checkpoints, then report.json and report.html, whose embedded provenance lists the
 * checkpoints only; provenance.json last, which adds report.json and report.html to the outputs and carries a
 * `digest` of its own content; provenance.sig, with a key, an Ed25519 signature of provenance.json's bytes.
 */
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import type { Stats } from 'node:fs';
import { lstat, readdir, realpath, stat, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize, relative, resolve, sep } from 'node:path';
import type { FileHash, Provenance } from '../contracts/report';
import { LetheError } from '../util/errors';
import { openRegularFile, readRegularFile } from '../util/files';

export async function sha256File(file: string): Promise<string> {
  return (await sha256RegularFile(file)).sha256;
}

/**
 * SHA-256 of a regular file through one non-blocking descriptor (`openRegularFile`: FIFOs, sockets, devices and
 * folders refused before a byte is read), refused over `maxBytes`. Exactly the size seen at open is read, so a
 * file that keeps growing cannot keep it going. `stats` is the descriptor's, at open.
 */
export async function sha256RegularFile(file: string, maxBytes = Infinity): Promise<{ sha256: string; stats: Stats }> {
  const { handle, size } = await openRegularFile(file);
  try {
    if (size > maxBytes) throw new LetheError(`is ${size} bytes, over the ${maxBytes}-byte limit; refused`, file);
    const stats = await handle.stat();
    const hash = createHash('sha256');
    const buffer = Buffer.allocUnsafe(Math.min(1 << 20, Math.max(1, size)));
    for (let at = 0; at < size; ) {
      const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, size - at), at);
      if (bytesRead === 0) break; // truncated meanwhile: the hash no longer matches and says so
      hash.update(buffer.subarray(0, bytesRead));
      at += bytesRead;
    }
    return { sha256: hash.digest('hex'), stats };
  } finally {
    await handle.close();
  }
}

/** JSON with object keys sorted at every level: the same content always gives the same text, whatever the key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/** provenance.json's `digest`: SHA-256 of its canonical JSON without the digest field. */
export function provenanceDigest(provenance: object): string {
  const { digest: _, ...content } = provenance as { digest?: unknown };
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}

/** A file, or every file under a folder (sorted, so a digest over them does not depend on listing order). */
export async function filesUnder(path: string): Promise<string[]> {
  if (!(await stat(path).catch(() => undefined))?.isDirectory()) return [path]; // a missing file is refused when read
  const entries = await readdir(path, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)).sort();
}

/** Hash a file, or every file under a folder. */
export async function hashPath(role: string, path: string, relativeTo: string): Promise<FileHash[]> {
  const out: FileHash[] = [];
  for (const f of await filesUnder(path)) {
    const { sha256, stats } = await sha256RegularFile(f);
    out.push({ role, path: relative(relativeTo, f) || '.', sha256, bytes: stats.size });
  }
  return out;
}

export const PROVENANCE_FILE = 'provenance.json';
export const SIGNATURE_FILE = 'provenance.sig';
/** The role of report.json and report.html among provenance.json's outputs. */
export const REPORT_ROLE = 'report';
/** The largest file `lethe verify` hashes; a run's checkpoints are far smaller, a hostile entry is not read. */
export const VERIFY_MAX_BYTES = 4 * 1024 ** 3;
/** The largest provenance.json, report.json or signature `lethe verify` parses. */
const MAX_JSON_BYTES = 256 * 1024 ** 2;

/** provenance.json as written: the report's provenance, plus the report files among the outputs, plus its digest. */
export type SealedProvenance = Provenance & { digest: string };

/**
 * Writes provenance.json into `dir` (a staged run folder, report.json and report.html already in it) and, with a
 * key, provenance.sig. Paths are relative to the run folder, so the staging folder's are the final ones.
 */
export async function sealRun(dir: string, provenance: Provenance, signKey?: KeyObject): Promise<SealedProvenance> {
  const reports = [];
  for (const name of ['report.json', 'report.html']) {
    const file = join(dir, name);
    if (await stat(file).catch(() => undefined)) reports.push(...(await hashPath(REPORT_ROLE, file, dir)));
  }
  const content: Provenance = { ...provenance, outputs: [...provenance.outputs, ...reports] };
  const sealed: SealedProvenance = { ...content, digest: provenanceDigest(content) };
  const bytes = Buffer.from(JSON.stringify(sealed, null, 2));
  await writeFile(join(dir, PROVENANCE_FILE), bytes);
  if (signKey) await writeFile(join(dir, SIGNATURE_FILE), sign(null, bytes, signKey).toString('base64') + '\n');
  return sealed;
}

/** The user's Ed25519 private key (PEM) for `lethe unlearn --sign-key`, refused up front rather than after the run. */
export async function loadSigningKey(file: string): Promise<KeyObject> {
  return ed25519Key(file, (pem) => createPrivateKey(pem));
}

/** The Ed25519 public key (PEM; a private key gives its public half) for `lethe verify --key`. */
export async function loadVerifyKey(file: string): Promise<KeyObject> {
  return ed25519Key(file, (pem) => createPublicKey(pem));
}

async function ed25519Key(file: string, parse: (pem: Buffer) => KeyObject): Promise<KeyObject> {
  const pem = Buffer.from(await readRegularFile(file, 'key', 64 * 1024));
  let key: KeyObject;
  try {
    key = parse(pem);
  } catch {
    throw new LetheError('is not a PEM key Lethe can read', file); // the parser's message could quote the file
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new LetheError(`is a ${key.asymmetricKeyType ?? 'symmetric'} key; an Ed25519 key is needed`, file);
  return key;
}

/** A hand-edited or corrupted provenance entry is refused, not hashed as whatever it happens to hold. */
function isFileHash(h: unknown): h is FileHash {
  const e = h as Partial<FileHash> | null;
  return typeof e === 'object' && e !== null && typeof e.role === 'string' && typeof e.path === 'string' && typeof e.sha256 === 'string' && /^[0-9a-f]{64}$/.test(e.sha256);
}

export interface VerifyOptions {
  /** Also hash the inputs (outside the run folder); off by default, so a hostile provenance.json reads nothing outside. */
  inputs?: boolean;
  /** Check provenance.sig against this Ed25519 public key; a missing or wrong signature then fails. */
  publicKey?: KeyObject;
}

export interface VerifyResult {
  ok: boolean;
  /** Files hashed and compared. */
  checked: number;
  mismatches: string[];
  /** Input entries not hashed (no `inputs` option). */
  inputsUnchecked: number;
  signature: 'verified' | 'not checked' | 'none';
}

/**
 * Recompute the hashes in `RUN_DIR/provenance.json`: its digest, every output (checkpoints, report.json,
 * report.html), that every file in the run folder is listed, that report.json's provenance and model hashes agree
 * with it, the inputs on request, and the signature with a key. A provenance.json that is malformed, lacks the
 * entries every run has, or names a path outside the run folder for an output is refused before anything is read.
 */
export async function verifyRun(runDir: string, opts: VerifyOptions = {}): Promise<VerifyResult> {
  const file = join(runDir, PROVENANCE_FILE);
  const refuse = (reason: string, where?: string) => new LetheError(reason, file, where);
  if ((await lstat(file).catch(() => undefined))?.isSymbolicLink()) throw refuse('is a symbolic link; refused');
  const bytes = await readRegularFile(file, 'provenance', MAX_JSON_BYTES);
  let prov: SealedProvenance;
  try {
    prov = JSON.parse(new TextDecoder().decode(bytes)) as SealedProvenance;
  } catch (e) {
    throw refuse(`cannot read provenance (${(e as Error).message})`);
  }
  if (typeof prov !== 'object' || prov === null || !Array.isArray(prov.inputs) || !Array.isArray(prov.outputs)) throw refuse('no inputs/outputs lists');
  for (const list of ['inputs', 'outputs'] as const) {
    const bad = (prov[list] as unknown[]).findIndex((h) => !isFileHash(h));
    if (bad >= 0) throw refuse('expected {role, path, sha256} with a 64-digit hex SHA-256', `${list}[${bad}]`);
  }
  prov.outputs.forEach((h, i) => {
    if (isAbsolute(h.path) || normalize(h.path) !== h.path || h.path.split(/[\\/]/).includes('..')) throw refuse(`output path "${h.path}" is not a plain path inside the run folder; refused`, `outputs[${i}]`);
  });
  if (!prov.inputs.some((h) => h.role === 'model.in')) throw refuse('lists no input model (role model.in); every run has one');
  if (!prov.outputs.some((h) => h.role === REPORT_ROLE && h.path === 'report.json')) throw refuse('does not list report.json among its outputs; every run has it');
  if (typeof prov.digest !== 'string') throw refuse('has no digest (written by an older Lethe, or edited); cannot be verified');
  if (prov.digest !== provenanceDigest(prov)) throw refuse('its digest does not match its content: provenance.json was edited after it was written');

  const mismatches: string[] = [];
  let checked = 0;
  const compare = async (h: FileHash, path: string) => {
    checked++;
    try {
      const { sha256: actual } = await sha256RegularFile(path, VERIFY_MAX_BYTES);
      if (actual !== h.sha256) mismatches.push(`${h.role} ${h.path}: sha256 ${actual.slice(0, 12)}… differs from recorded ${h.sha256.slice(0, 12)}…`);
    } catch (e) {
      if (e instanceof LetheError && !/\(ENOENT\)/.test(e.message)) throw e;
      mismatches.push(`${h.role} ${h.path}: missing`);
    }
  };

  const realRun = await realpath(runDir);
  for (const [i, h] of prov.outputs.entries()) {
    const path = join(runDir, h.path);
    await requireInsideRun(path, realRun, h.path, refuse, `outputs[${i}]`);
    await compare(h, path);
  }
  for (const name of await filesOfRun(runDir, refuse)) {
    if (name !== PROVENANCE_FILE && name !== SIGNATURE_FILE && !prov.outputs.some((h) => h.path === name)) mismatches.push(`${name}: in the run folder but not in provenance.json`);
  }
  mismatches.push(...(await reportAgrees(runDir, prov)));
  if (opts.inputs) for (const h of prov.inputs) await compare(h, resolve(runDir, h.path));

  let signature: VerifyResult['signature'] = (await lstat(join(runDir, SIGNATURE_FILE)).catch(() => undefined)) ? 'not checked' : 'none';
  if (opts.publicKey) {
    if (signature === 'none') mismatches.push(`${SIGNATURE_FILE}: missing, so the run cannot be checked against the key`);
    else if (verify(null, bytes, opts.publicKey, Buffer.from(new TextDecoder().decode(await readRegularFile(join(runDir, SIGNATURE_FILE), 'signature', 4096)).trim(), 'base64'))) signature = 'verified';
    else mismatches.push(`${SIGNATURE_FILE}: the signature does not match provenance.json for this key`);
  }
  return { ok: mismatches.length === 0, checked, mismatches, inputsUnchecked: opts.inputs ? 0 : prov.inputs.length, signature };
}

/**
 * An output must be the run folder's own regular file: its folder, links resolved, inside the run folder, and the
 * file itself not a link. Checked before the file is opened, so nothing outside the run is hashed or named.
 */
async function requireInsideRun(path: string, realRun: string, listed: string, refuse: (reason: string, where?: string) => LetheError, where: string): Promise<void> {
  const folder = await realpath(dirname(path)).catch(() => undefined);
  if (folder === undefined) return; // missing: reported as a mismatch
  if (folder !== realRun && !folder.startsWith(realRun + sep)) throw refuse(`output path "${listed}" leaves the run folder through a link; refused`, where);
  const info = await lstat(path).catch(() => undefined);
  if (info && !info.isFile()) throw refuse(`output "${listed}" is not a regular file (a link, a folder or a device); refused`, where);
}

/** Every file in the run folder, relative to it; a link anywhere in it is refused. */
async function filesOfRun(runDir: string, refuse: (reason: string) => LetheError): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(runDir, { recursive: true, withFileTypes: true })) {
    const rel = relative(runDir, join(e.parentPath, e.name));
    if (e.isSymbolicLink()) throw refuse(`the run folder holds a link, "${rel}"; refused`);
    if (!e.isDirectory()) out.push(rel);
  }
  return out;
}

/** report.json (already hashed) must carry provenance.json's content without the report entries, and its models' hashes. */
async function reportAgrees(runDir: string, prov: SealedProvenance): Promise<string[]> {
  let report: { provenance?: unknown; models?: Record<string, { path?: unknown; sha256?: unknown } | undefined> };
  try {
    report = JSON.parse(new TextDecoder().decode(await readRegularFile(join(runDir, 'report.json'), 'report', MAX_JSON_BYTES))) as typeof report;
  } catch {
    return ['report.json: missing or not JSON'];
  }
  const { digest: _, ...content } = prov;
  const problems: string[] = [];
  if (canonicalJson(report.provenance) !== canonicalJson({ ...content, outputs: prov.outputs.filter((h) => h.role !== REPORT_ROLE) })) problems.push('report.json: its provenance differs from provenance.json');
  for (const [role, m] of Object.entries(report.models ?? {})) {
    const listed = [...prov.inputs, ...prov.outputs].find((h) => h.path === m?.path);
    if (!listed || listed.sha256 !== m?.sha256) problems.push(`report.json: the ${role} model's sha256 is not the one provenance.json records for ${String(m?.path)}`);
  }
  return problems;
}
