/**
 * `lethe unlearn --job`: a job file's `output:` stays inside the job file's folder (or `--workspace`), as the
 * extension's worker keeps it; absolute paths, `..` and symlinks out are refused with one line, and nothing is
 * created outside. `--allow-outside-output` is the explicit way out.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { smallWorkspace } from '../../corpus/workspace';
import { expectCleanRefusal, inParallel, lethe } from './cli';

const ws = smallWorkspace(200, 60);
const outside = mkdtempSync(join(tmpdir(), 'lethe-outside-'));
afterAll(() => {
  ws.remove();
  rmSync(outside, { recursive: true, force: true });
});
const forget = basename(ws.forget('few', { kind: 'indices', indices: [1, 2, 3] }));
symlinkSync(outside, join(ws.root, 'link-out'));

/** A job file in the workspace whose output is `output`. */
function jobFile(name: string, output: string): string {
  const file = join(ws.root, `${name}.lethe.yaml`);
  const job = { model: 'model.onnx', data: 'fashion-data', forget, method: 'finetune', params: { epochs: 1 }, reference: { retrain: false }, evaluation: { mia: false, jsd: false }, output };
  writeFileSync(file, JSON.stringify(job)); // JSON is YAML
  return file;
}

const HOSTILE_OUTPUTS: [string, string][] = [
  ['an absolute path', join(outside, 'abs')],
  ['a path up through ..', '../' + basename(outside) + '/up'],
  ['a path through a symlink out', 'link-out/runs'],
  ['the symlink out itself', 'link-out'],
];

describe('a job file cannot make the CLI write outside its folder', () => {
  it(`${HOSTILE_OUTPUTS.length} hostile output paths are refused with one line, and nothing is written outside`, async () => {
    const results = await inParallel(2, HOSTILE_OUTPUTS.map(([, output], i) => () => lethe(['unlearn', '--job', jobFile(`hostile-${i}`, output)])));
    for (const r of results) expectCleanRefusal(r, /output path ".*" is outside the job file's folder .*--allow-outside-output/);
    expect(readdirSync(outside)).toEqual([]);
    console.log(`[corpus] CLI: ${HOSTILE_OUTPUTS.length} job-file outputs outside the job's folder refused with exit 1 and one stderr line`);
  });

  it('--allow-outside-output writes there; --workspace widens the root to a parent folder', async () => {
    const allowed = await lethe(['unlearn', '--job', jobFile('allowed', join(outside, 'allowed')), '--allow-outside-output', '--json']);
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(readdirSync(join(outside, 'allowed'))).toHaveLength(1);
    const sub = join(ws.root, 'sub');
    const inWorkspace = await lethe(['unlearn', '--job', jobFile('widened', 'sub/runs'), '--workspace', ws.root, '--json']);
    expect(inWorkspace.code, inWorkspace.stderr).toBe(0);
    expect(existsSync(sub)).toBe(true);
    // --workspace confines every path the job names, the output included.
    expectCleanRefusal(await lethe(['unlearn', '--job', jobFile('escaping', join(outside, 'w')), '--workspace', ws.root]), /output path ".*" is outside the workspace; refused/);
    expect(existsSync(join(outside, 'w'))).toBe(false);
  });
});
