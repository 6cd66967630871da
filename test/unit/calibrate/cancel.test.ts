/** Calibration cancels as a job does: an aborted signal stops it before any training, and no file is written. */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { calibrate } from '../../../src/engine/calibrate/calibrate';
import { FASHION_MNIST_SMALL, FIXTURES } from '../../fixtures/paths';

describe('calibrate', () => {
  it('stops on its AbortSignal, reporting progress until then, and writes nothing', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'lethe-cal-')), 'cal.json');
    const controller = new AbortController();
    const seen: string[] = [];
    const run = calibrate({
      model: join(FIXTURES, 'fmnist-mlp.onnx'), data: FASHION_MNIST_SMALL, out, methods: ['ssd'],
      progress: (_, m) => {
        seen.push(m);
        controller.abort();
      },
      signal: controller.signal,
    });
    await expect(run).rejects.toThrow('calibration was cancelled');
    expect(seen[0]).toBe('Loading model and data');
    expect(existsSync(out)).toBe(false);
  });
});
