import { describe, expect, it } from 'vitest';
import { resizeBilinear, writeImage } from '../../../src/engine/data/pixels';
import { planImages } from '../../../src/engine/data/layout';

describe('resizeBilinear', () => {
  it('matches half-pixel-centre interpolation with clamped edges (PyTorch align_corners=False)', () => {
    // one row [a, b] upscaled to width 4: a, 0.75a + 0.25b, 0.25a + 0.75b, b
    const out = resizeBilinear([10, 30], 1, 2, 1, 1, 4);
    expect(Array.from(out)).toEqual([10, 15, 25, 30]);
    // 2×2 down to 1×1 averages the four pixels, per channel
    expect(Array.from(resizeBilinear([0, 100, 10, 110, 20, 120, 30, 130], 2, 2, 2, 1, 1))).toEqual([15, 115]);
  });
});

describe('writeImage', () => {
  it('replicates grey into three channels and writes channels-last when asked', () => {
    const plan = planImages({ channels: 1, height: 1, width: 2 }, { inputShape: ['batch', 1, 2, 3], layout: 'NHWC' }, 'f');
    expect(plan.exampleShape).toEqual([1, 2, 3]);
    expect(plan.order).toBe('HWC');
    const out = new Float32Array(8).fill(-1);
    writeImage([10, 20], 0, 1, plan, 0.5, out, 1);
    expect(Array.from(out)).toEqual([-1, 5, 5, 5, 10, 10, 10, -1]);
  });

  it('drops alpha and writes channels-first', () => {
    const plan = planImages({ channels: 3, height: 1, width: 2 }, {}, 'f');
    const out = new Float32Array(6);
    writeImage([1, 2, 3, 255, 4, 5, 6, 255], 0, 4, plan, 1, out, 0);
    expect(Array.from(out)).toEqual([1, 4, 2, 5, 3, 6]);
  });
});
