/** A job with a calibration file (job/calibration.ts): settings and method from it, and refusals naming both files. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CalibrationFile } from '../../../src/engine/contracts/calibration';
import { datasetSha256, withCalibration } from '../../../src/engine/job/calibration';
import { jobPaths } from '../../../src/engine/job/jobPaths';
import { sha256File } from '../../../src/engine/report/provenance';
import { FASHION_MNIST_SMALL, FIXTURES } from '../../fixtures/paths';
import { summarise } from '../../../src/engine/calibrate/select';
import { trial } from './trials';

const model = join(FIXTURES, 'fmnist-mlp.onnx');
const other = join(FIXTURES, 'fmnist-cnn.onnx');

async function calibrationFor(modelFile: string): Promise<string> {
  const trials = [trial('del/0', { forgetting: 'forgot', gapBands: 0.3, params: { lr: 0.01, threshold: 0.6 } }), trial('finetune/0', { params: { lr: 0.1, epochs: 3 } })];
  const file: CalibrationFile = {
    version: 1, kind: 'lethe-calibration',
    model: { file: 'fmnist-mlp.onnx', sha256: await sha256File(modelFile) }, data: { path: 'data', sha256: await datasetSha256(FASHION_MNIST_SMALL) },
    proxy: { kind: 'random', forgetSize: 100, size: 100, sha256: 'c'.repeat(64) },
    seed: 0, recipe: {}, reference: { seconds: 1, forgetAccuracy: 0.8, testAccuracy: 0.8 },
    methods: ['del', 'finetune'], planned: ['del/0', 'finetune/0'], skipped: [], trials, ...summarise(trials, ['del', 'finetune']), seconds: 1,
  };
  const dir = mkdtempSync(join(tmpdir(), 'lethe-cal-'));
  writeFileSync(join(dir, 'cal.json'), JSON.stringify(file));
  return join(dir, 'cal.json');
}

const said: string[] = [];
const say = (_: string, m: string) => void said.push(m);
const path = jobPaths('/');

describe('withCalibration', () => {
  it('without a method: the best calibrated one, its parameters under the job’s own, and says so', async () => {
    const calibration = await calibrationFor(model);
    const out = await withCalibration({ model, data: FASHION_MNIST_SMALL, forget: 'f.json', calibration, params: { lr: 0.5 } }, path, say);
    expect(out.method).toBe('del');
    expect(out.params).toEqual({ lr: 0.5, threshold: 0.6 });
    expect(said.at(-1)).toMatch(/calibration cal\.json: del, the best calibrated method: forgot \/ utility kept on a proxy of 100 \(random\); parameters from the calibration: threshold=0\.6/);
  });

  it('a method the job names keeps its name and takes its calibrated parameters', async () => {
    const out = await withCalibration({ model, data: FASHION_MNIST_SMALL, forget: 'f.json', calibration: await calibrationFor(model), method: 'finetune' }, path, say);
    expect(out).toMatchObject({ method: 'finetune', params: { lr: 0.1, epochs: 3 } });
  });

  it('refuses a calibration made for another model, naming both files and hashes', async () => {
    const calibration = await calibrationFor(other);
    const [made, found] = [(await sha256File(other)).slice(0, 12), (await sha256File(model)).slice(0, 12)];
    await expect(withCalibration({ model, data: FASHION_MNIST_SMALL, forget: 'f.json', calibration }, path, say)).rejects.toThrow(
      `cal.json: was made for the model fmnist-mlp.onnx (sha256 ${made}…), but this job's model is fmnist-mlp.onnx (sha256 ${found}…); calibrate this model with \`lethe calibrate\``,
    );
  });

  it('refuses a calibration made for another dataset', async () => {
    const calibration = await calibrationFor(model);
    const data = mkdtempSync(join(tmpdir(), 'lethe-data-'));
    writeFileSync(join(data, 'rows.csv'), 'label,x\n0,1\n1,2\n');
    await expect(withCalibration({ model, data, forget: 'f.json', calibration }, path, say)).rejects.toThrow(/was made for the dataset data \(sha256 [0-9a-f]{12}…\), but this job's dataset is lethe-data-\w+ \(sha256 [0-9a-f]{12}…\)/);
  });

  it('leaves a job without a calibration, and an audit, untouched', async () => {
    const input = { model, data: FASHION_MNIST_SMALL };
    expect(await withCalibration(input, path, say)).toBe(input);
    const audit = { ...input, kind: 'audit' as const, calibration: 'x.json' };
    expect(await withCalibration(audit, path, say)).toBe(audit);
  });
});
