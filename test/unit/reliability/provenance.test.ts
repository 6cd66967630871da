/** `verifyRun` on tampered and hand-edited run folders: mismatches are reported, malformed provenance refused. */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJob } from '../../../src/engine/job/run';
import { verifyRun } from '../../../src/engine/report/provenance';
import { expectRefusal } from '../../corpus/outcome';
import { smallWorkspace } from '../../corpus/workspace';

const ws = smallWorkspace(200, 60);
const scratch = mkdtempSync(join(tmpdir(), 'lethe-verify-'));
let runDir = '';
afterAll(() => {
  ws.remove();
  rmSync(scratch, { recursive: true, force: true });
});
beforeAll(async () => {
  const forget = ws.forget('f', { kind: 'indices', indices: [4, 5, 6] });
  ({ runDir } = await runJob({ model: 'model.onnx', data: 'fashion-data', forget, params: { epochs: 1 }, reference: { retrain: false }, evaluation: { mia: false, jsd: false }, output: 'runs' }, { baseDir: ws.root }));
});

describe('verifyRun', () => {
  it('passes on an untouched run and names a tampered output', async () => {
    expect((await verifyRun(runDir)).ok).toBe(true);
    const copy = join(ws.root, 'runs', 'tampered');
    cpSync(runDir, copy, { recursive: true });
    const report = JSON.parse(readFileSync(join(copy, 'report.json'), 'utf8')) as { models: { unlearned: { path: string } } };
    const checkpoint = join(copy, report.models.unlearned.path);
    const bytes = readFileSync(checkpoint);
    bytes[bytes.length - 3] ^= 1;
    writeFileSync(checkpoint, bytes);
    const result = await verifyRun(copy);
    expect(result.ok).toBe(false);
    expect(result.mismatches).toEqual([expect.stringMatching(/^model\.out model\.unlearned\.onnx: sha256 [0-9a-f]{12}… differs from recorded/)]);
  });

  const provenance = () => JSON.parse(readFileSync(join(runDir, 'provenance.json'), 'utf8')) as Record<string, unknown[]>;
  it.each([
    ['not JSON', () => '{"inputs": [', /cannot read provenance/],
    ['an array', () => '[1, 2]', /no inputs\/outputs lists/],
    ['a null entry', () => JSON.stringify({ ...provenance(), inputs: [null] }), /inputs\[0\]: expected \{role, path, sha256\}/],
    ['a numeric path', () => JSON.stringify({ ...provenance(), outputs: [{ role: 'x', path: 7, sha256: 'a'.repeat(64) }] }), /outputs\[0\]: expected/],
    ['no hash', () => JSON.stringify({ ...provenance(), inputs: [...provenance().inputs, { role: 'x', path: 'report.json' }] }), /inputs\[\d+\]: expected/],
  ])('a provenance.json that is %s is refused', async (name, text, cause) => {
    const dir = join(scratch, name.replace(/\W+/g, '-'));
    cpSync(runDir, dir, { recursive: true });
    writeFileSync(join(dir, 'provenance.json'), text());
    await expectRefusal(() => verifyRun(dir), 'provenance.json', cause);
  });
});
