/**
 * `lethe verify` against hostile and tampered run folders: it covers report.json, report.html and checkpoints,
 * requires the entries every run has, reads nothing outside the run folder (absolute paths, "..", links, FIFOs
 * and devices refused before opening), and a signature catches the forgery digests cannot.
 */
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJob } from '../../../src/engine/job/run';
import { hashPath, PROVENANCE_FILE, provenanceDigest, verifyRun, type SealedProvenance } from '../../../src/engine/report/provenance';
import { expectRefusal } from '../../corpus/outcome';
import { smallWorkspace } from '../../corpus/workspace';

const ws = smallWorkspace(200, 60);
const scratch = mkdtempSync(join(tmpdir(), 'lethe-verify-hostile-'));
const keys = generateKeyPairSync('ed25519');
let runDir = '';
afterAll(() => {
  ws.remove();
  rmSync(scratch, { recursive: true, force: true });
});
beforeAll(async () => {
  const forget = ws.forget('f', { kind: 'indices', indices: [4, 5, 6] });
  ({ runDir } = await runJob(
    { model: 'model.onnx', data: 'fashion-data', forget, params: { epochs: 1 }, reference: { retrain: false }, evaluation: { mia: false, jsd: false }, output: 'runs' },
    { baseDir: ws.root, signKey: keys.privateKey },
  ));
});

let copies = 0;
/** A copy of the run, placed like the original (inputs stay reachable by the same relative paths). */
function copyRun(): string {
  const dir = join(ws.root, 'runs', `copy-${copies++}`);
  cpSync(runDir, dir, { recursive: true });
  return dir;
}
const readProvenance = (dir: string) => JSON.parse(readFileSync(join(dir, PROVENANCE_FILE), 'utf8')) as SealedProvenance;
/** Edits provenance.json as a forger would: the digest recomputed, so only the checks behind it can object. */
function reseal(dir: string, edit: (p: SealedProvenance) => void): void {
  const p = readProvenance(dir);
  edit(p);
  writeFileSync(join(dir, PROVENANCE_FILE), JSON.stringify({ ...p, digest: provenanceDigest(p) }, null, 2));
}
const mkfifo = (path: string) => expect(spawnSync('mkfifo', [path]).status).toBe(0);
const unlearnedPath = (dir: string) => readProvenance(dir).outputs.find((o) => o.role === 'model.out')!.path;

/** Hostile provenance.json: each is refused with one LetheError naming provenance.json, before reading the file it names. */
const HOSTILE: [string, (dir: string) => void, RegExp][] = [
  ['an absolute output path', (d) => reseal(d, (p) => p.outputs.push({ role: 'x', path: '/etc/passwd', sha256: '0'.repeat(64), bytes: 1 })), /"\/etc\/passwd" is not a plain path inside the run folder/],
  ['a ".." output path', (d) => reseal(d, (p) => p.outputs.push({ role: 'x', path: '../../model.onnx', sha256: '0'.repeat(64), bytes: 1 })), /is not a plain path inside the run folder/],
  ['an output through a linked folder', (d) => { symlinkSync('/etc', join(d, 'sub')); reseal(d, (p) => p.outputs.push({ role: 'x', path: 'sub/passwd', sha256: '0'.repeat(64), bytes: 1 })); }, /leaves the run folder through a link/],
  ['an output that is a link', (d) => { symlinkSync('/etc/passwd', join(d, 'm.onnx')); reseal(d, (p) => p.outputs.push({ role: 'x', path: 'm.onnx', sha256: '0'.repeat(64), bytes: 1 })); }, /"m\.onnx" is not a regular file/],
  ['an output that is a FIFO', (d) => { mkfifo(join(d, 'pipe')); reseal(d, (p) => p.outputs.push({ role: 'x', path: 'pipe', sha256: '0'.repeat(64), bytes: 1 })); }, /"pipe" is not a regular file/],
  ['a link left in the run folder', (d) => symlinkSync('/etc/passwd', join(d, 'extra')), /holds a link, "extra"/],
  ['empty inputs and outputs', (d) => reseal(d, (p) => { p.inputs = []; p.outputs = []; }), /lists no input model/],
  ['no report.json entry', (d) => reseal(d, (p) => { p.outputs = p.outputs.filter((o) => o.path !== 'report.json'); }), /does not list report\.json/],
  ['no digest', (d) => { const { digest: _, ...rest } = readProvenance(d); writeFileSync(join(d, PROVENANCE_FILE), JSON.stringify(rest)); }, /has no digest/],
  ['an edit without a new digest', (d) => writeFileSync(join(d, PROVENANCE_FILE), JSON.stringify({ ...readProvenance(d), seed: 99 })), /digest does not match its content/],
  ['provenance.json as a link', (d) => { rmSync(join(d, PROVENANCE_FILE)); symlinkSync(join(runDir, PROVENANCE_FILE), join(d, PROVENANCE_FILE)); }, /is a symbolic link/],
  ['provenance.json as a FIFO', (d) => { rmSync(join(d, PROVENANCE_FILE)); mkfifo(join(d, PROVENANCE_FILE)); }, /is a FIFO \(named pipe\), not a regular file; refused/],
];

describe('verifyRun', () => {
  it('passes on the run as written, its inputs on request, and its signature with the key', async () => {
    const plain = await verifyRun(runDir);
    expect(plain).toMatchObject({ ok: true, signature: 'not checked' });
    expect(plain.inputsUnchecked).toBeGreaterThan(0);
    expect(plain.checked).toBe(readProvenance(runDir).outputs.length);
    expect(await verifyRun(runDir, { inputs: true, publicKey: keys.publicKey })).toMatchObject({ ok: true, signature: 'verified', inputsUnchecked: 0 });
  });

  it(`${HOSTILE.length} hostile provenance files are refused without reading or naming anything outside the run`, async () => {
    for (const [name, make, cause] of HOSTILE) {
      const dir = copyRun();
      make(dir);
      const message = await expectRefusal(() => verifyRun(dir), PROVENANCE_FILE, cause).catch((e: Error) => {
        throw new Error(`${name}: ${e.message}`);
      });
      expect(message, name).not.toMatch(/[0-9a-f]{12}…/);
    }
    console.log(`[corpus] verify: ${HOSTILE.length} hostile provenance.json files refused with one line, nothing outside the run read`);
  });

  /** Tampered runs: verify finishes and names what differs. */
  const TAMPERED: [string, (dir: string) => void, RegExp][] = [
    ['a metric edited in report.json', (d) => writeFileSync(join(d, 'report.json'), readFileSync(join(d, 'report.json'), 'utf8').replace('"schemaVersion"', '"schemaVersion" ')), /^report report\.json: sha256/],
    ['report.html edited', (d) => writeFileSync(join(d, 'report.html'), readFileSync(join(d, 'report.html'), 'utf8') + ' '), /^report report\.html: sha256/],
    ['a checkpoint swapped, its hash updated in provenance.json', async (d) => {
      const file = unlearnedPath(d);
      writeFileSync(join(d, file), readFileSync(ws.model));
      const [h] = await hashPath('model.out', join(d, file), d);
      reseal(d, (p) => { p.outputs = p.outputs.map((o) => (o.path === file ? h : o)); });
    }, /report\.json: the unlearned model's sha256 is not the one provenance\.json records/],
    ['a file added to the run folder', (d) => writeFileSync(join(d, 'notes.txt'), 'x'), /^notes\.txt: in the run folder but not in provenance\.json/],
  ];
  it.each(TAMPERED)('%s is reported', async (_name, tamper, problem) => {
    const dir = copyRun();
    await tamper(dir);
    const result = await verifyRun(dir);
    expect(result.ok).toBe(false);
    expect(result.mismatches.some((m) => problem.test(m)), result.mismatches.join('\n')).toBe(true);
  });

  it('with --inputs, a changed input is reported and a FIFO input refused without hanging', async () => {
    const dir = copyRun();
    const forget = join(ws.root, 'f.forget.json');
    const saved = readFileSync(forget);
    try {
      writeFileSync(forget, saved.toString('utf8') + ' ');
      expect((await verifyRun(dir)).ok).toBe(true); // inputs are not read without the option
      expect((await verifyRun(dir, { inputs: true })).mismatches).toEqual([expect.stringMatching(/^forget .*f\.forget\.json: sha256/)]);
      rmSync(forget);
      mkfifo(forget);
      await expectRefusal(() => verifyRun(dir, { inputs: true }), 'f.forget.json', /is a FIFO \(named pipe\), not a regular file; refused/);
    } finally {
      rmSync(forget, { force: true });
      writeFileSync(forget, saved);
    }
  });

  it('a self-consistent forgery passes the digests; only the signature catches it', async () => {
    const dir = copyRun();
    writeFileSync(join(dir, 'report.json'), readFileSync(join(dir, 'report.json'), 'utf8').replace('"schemaVersion"', '"schemaVersion" '));
    const [h] = await hashPath('report', join(dir, 'report.json'), dir);
    reseal(dir, (p) => { p.outputs = p.outputs.map((o) => (o.path === 'report.json' ? h : o)); });
    expect((await verifyRun(dir)).ok).toBe(true);
    const checked = await verifyRun(dir, { publicKey: keys.publicKey });
    expect(checked.mismatches).toEqual(['provenance.sig: the signature does not match provenance.json for this key']);
    const other = generateKeyPairSync('ed25519').publicKey;
    expect((await verifyRun(runDir, { publicKey: other })).ok).toBe(false);
    rmSync(join(dir, 'provenance.sig'));
    expect((await verifyRun(dir, { publicKey: keys.publicKey })).mismatches).toEqual(['provenance.sig: missing, so the run cannot be checked against the key']);
  });
});
