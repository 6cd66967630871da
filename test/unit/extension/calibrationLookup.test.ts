import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CalibrationFile } from '../../../src/engine/contracts/calibration';
import { datasetSha256 } from '../../../src/engine/job/calibration';
import { sha256File } from '../../../src/engine/report/provenance';
import { calibratedRecommendation, calibrationPathFor, findCalibration } from '../../../src/extension/methods/calibrationLookup';

const root = join(__dirname, '..', '..', '..');
const data = join(root, 'examples', 'fashion-mnist', 'data');

function calibration(model: { file: string; sha256: string }, dataSha: string): CalibrationFile {
  const trial = { method: 'del', settings: { lr: 0.0003 }, params: { lr: 0.0003 }, forgetting: 'forgot' as const, utility: 'kept' as const, forgetAccuracy: 0.88, gap: 0.004, gapBands: 0.2, testAccuracy: 0.87, exampleGradients: 1000, seconds: 2, timeRatio: 0.25 };
  return {
    version: 1, kind: 'lethe-calibration', model, data: { path: 'data', sha256: dataSha },
    proxy: { kind: 'random', forgetSize: 1000, size: 1000, sha256: '0'.repeat(64) }, seed: 0, recipe: {},
    reference: { seconds: 8, forgetAccuracy: 0.876, testAccuracy: 0.87 }, methods: ['del'], planned: ['del/0'], skipped: [],
    trials: [{ id: 'del/0', ...trial }], calibrated: [{ ...trial, trial: 'del/0', trials: 1 }], front: ['del/0'], recommended: 'del', seconds: 10,
  };
}

describe('the calibration file beside a model', () => {
  it('is <stem>.calibration.json in the model folder', () => {
    expect(calibrationPathFor('/w/models/fashion-mlp.onnx')).toBe('/w/models/fashion-mlp.calibration.json');
    expect(calibrationPathFor('/w/tfjs/model.json')).toBe('/w/tfjs/model.calibration.json');
  });

  it('recommends its best method with what it reached on the proxy', () => {
    const r = calibratedRecommendation(calibration({ file: 'm.onnx', sha256: 'a'.repeat(64) }, 'b'.repeat(64)));
    expect(r?.method).toBe('del');
    expect(r?.reason).toContain('forgot, utility kept, forget accuracy 0.880 vs the proxy retrain\'s 0.876');
  });

  it('is used for the model and data it was made for, and ignored with the reason otherwise', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lethe-cal-'));
    const model = join(dir, 'm.onnx');
    copyFileSync(join(root, 'test', 'fixtures', 'fmnist-mlp.onnx'), model);
    expect(await findCalibration(model, data)).toBeUndefined();
    const right = calibration({ file: 'm.onnx', sha256: await sha256File(model) }, await datasetSha256(data));
    writeFileSync(calibrationPathFor(model), JSON.stringify(right));
    expect((await findCalibration(model, data))?.recommendation?.method).toBe('del');
    writeFileSync(calibrationPathFor(model), JSON.stringify({ ...right, model: { file: 'm.onnx', sha256: 'c'.repeat(64) } }));
    expect(await findCalibration(model, data)).toMatchObject({ problem: 'made for another version of m.onnx' });
    writeFileSync(calibrationPathFor(model), JSON.stringify({ ...right, data: { path: 'other', sha256: 'c'.repeat(64) } }));
    expect(await findCalibration(model, data)).toMatchObject({ problem: 'made for another dataset (other)' });
    writeFileSync(calibrationPathFor(model), '{"version": 1');
    expect((await findCalibration(model, data))?.problem).toMatch(/not a calibration file/);
  });
});
