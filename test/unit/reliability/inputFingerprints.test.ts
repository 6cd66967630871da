/**
 * Provenance binds the bytes a job read: inputs are hashed as they are read, and a model, data file, forget set or
 * job file changed while the job runs fails it, naming the file, with no run folder written.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { JobSpecInput } from '../../../src/engine/contracts/jobSpec';
import { InputFingerprints } from '../../../src/engine/job/inputFingerprints';
import { runJob } from '../../../src/engine/job/run';
import { PROVENANCE_FILE, provenanceDigest, type SealedProvenance } from '../../../src/engine/report/provenance';
import { expectRefusal } from '../../corpus/outcome';
import { smallWorkspace } from '../../corpus/workspace';

const ws = smallWorkspace(200, 60);
afterAll(() => ws.remove());
const jobFile = join(ws.root, 'job.lethe.yaml');
writeFileSync(jobFile, '# specs are passed to runJob directly\n');
const forget = ws.forget('f', { kind: 'indices', indices: [4, 5, 6] });
const spec = (output: string): JobSpecInput => ({ model: 'model.onnx', data: 'fashion-data', forget, params: { epochs: 1 }, reference: { retrain: false }, evaluation: { mia: false, jsd: false }, output });
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Runs the job and, when the method starts, does `change` (as a colleague editing files mid-run would). */
const runChanging = (output: string, change: () => void) => {
  let done = false;
  return runJob(spec(output), {
    baseDir: ws.root,
    jobFile,
    progress: (_f, m) => {
      if (!done && m.startsWith('Running')) {
        done = true;
        change();
      }
    },
  });
};

describe('inputs hashed as read', () => {
  it('a finished run records the SHA-256 of every file it read, and provenance.json its own digest', async () => {
    const { runDir } = await runJob(spec('runs-ok'), { baseDir: ws.root, jobFile });
    const prov = JSON.parse(readFileSync(join(runDir, PROVENANCE_FILE), 'utf8')) as SealedProvenance;
    expect(prov.inputs.map((i) => i.role)).toEqual(['job', 'model.in', 'data', 'data', 'data', 'data', 'forget']);
    for (const i of prov.inputs) expect(i.sha256, i.path).toBe(sha256(resolve(runDir, i.path)));
    expect(prov.digest).toBe(provenanceDigest(prov));
    expect(provenanceDigest({ ...prov, seed: prov.seed + 1 })).not.toBe(prov.digest);
  });

  const CHANGES: [string, string, () => void][] = [
    ['the model replaced', 'model.onnx', () => writeFileSync(ws.model, readFileSync(ws.model))],
    ['a data file appended to', 'train-labels-idx1-ubyte', () => appendFileSync(join(ws.data, 'train-labels-idx1-ubyte'), Buffer.from([1]))],
    ['the forget set rewritten', 'f.forget.json', () => writeFileSync(forget, readFileSync(forget, 'utf8').replace('4, 5', '4,5'))],
    ['the job file edited', 'job.lethe.yaml', () => appendFileSync(jobFile, '# edited\n')],
  ];
  it.each(CHANGES)('%s during the run fails the job naming it; no run folder', async (_name, file, change) => {
    const output = `runs-${file}`;
    const inputs = [ws.model, forget, jobFile, ...readdirSync(ws.data).map((f) => join(ws.data, f))];
    const saved = inputs.map((f) => readFileSync(f));
    try {
      await expectRefusal(() => runChanging(output, change), file, /changed during the run .*no run folder was written/);
      expect(readdirSync(join(ws.root, output))).toEqual([]);
    } finally {
      inputs.forEach((f, i) => writeFileSync(f, saved[i])); // the next case starts from the same files
    }
  });

  it('a file changed while its reader reads it is refused', async () => {
    const file = join(ws.root, 'read-me.txt');
    writeFileSync(file, 'before');
    await expectRefusal(() => new InputFingerprints().read('x', [file], async () => writeFileSync(file, 'after, longer')), 'read-me.txt', /changed while it was read/);
    expect(existsSync(file)).toBe(true);
  });
});
