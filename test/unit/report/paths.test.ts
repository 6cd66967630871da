import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openableCandidates, referencedPaths } from '../../../src/extension/report/paths';
import { loadSampleReport } from './helpers';

const report = loadSampleReport();
const reportPath = '/home/u/project/lethe-runs/2026-11-25T10-42-07-forget-tshirts/report.json';

describe('openableCandidates (what the panel opens for the webview)', () => {
  it('lists the files the report names: models, dataset, inputs and outputs', () => {
    expect([...referencedPaths(report)].sort()).toEqual(
      [
        'models/fmnist-mlp.onnx',
        'lethe-runs/2026-11-25T10-42-07-forget-tshirts/unlearned.onnx',
        'lethe-runs/2026-11-25T10-42-07-forget-tshirts/reference.onnx',
        'data/fashion-mnist-small',
        'data/fashion-mnist-small/train-images-idx3-ubyte.gz',
        'forget/tshirts.forget.json',
        'lethe-runs/2026-11-25T10-42-07-forget-tshirts/report.json',
      ].sort(),
    );
  });

  it('resolves a relative path against the workspace folders first, then the run folder and its parents', () => {
    const candidates = openableCandidates(report, 'models/fmnist-mlp.onnx', reportPath, ['/home/u/project']);
    expect(candidates[0]).toBe('/home/u/project/models/fmnist-mlp.onnx');
    expect(candidates[1]).toBe(join(reportPath, '..', 'models/fmnist-mlp.onnx'));
    expect(candidates).toContain('/home/u/models/fmnist-mlp.onnx');
    expect(new Set(candidates).size).toBe(candidates.length);
  });

  it('refuses anything the report does not name, however it is spelled', () => {
    for (const path of ['/etc/passwd', '../../.ssh/id_rsa', 'models/../../.ssh/id_rsa', 'models/fmnist-mlp.onnx/../../x', 'MODELS/fmnist-mlp.onnx']) {
      expect(openableCandidates(report, path, reportPath, ['/home/u/project']), path).toEqual([]);
    }
  });

  it('keeps an absolute path the report names as it is', () => {
    const absolute = { ...report, dataset: { ...report.dataset, path: '/data/fashion-mnist' } };
    expect(openableCandidates(absolute, '/data/fashion-mnist', reportPath, ['/home/u/project'])).toEqual(['/data/fashion-mnist']);
  });
});
