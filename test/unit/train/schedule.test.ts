import { describe, expect, it } from 'vitest';
import { lrAt } from '../../../src/engine/train/schedule';
import { LetheError } from '../../../src/engine/util/errors';

describe('lrAt', () => {
  it('constant', () => {
    expect(lrAt(0, 10, { kind: 'constant', lr: 0.05 })).toBe(0.05);
    expect(lrAt(10, 10, { kind: 'constant', lr: 0.05 })).toBe(0.05);
  });

  it('step: ×γ every stepSize updates (OM: ×0.95 per epoch)', () => {
    const spec = { kind: 'step', lr: 1e-3, stepSize: 100, gamma: 0.95 } as const;
    expect(lrAt(0, 1000, spec)).toBe(1e-3);
    expect(lrAt(99, 1000, spec)).toBe(1e-3);
    expect(lrAt(100, 1000, spec)).toBeCloseTo(9.5e-4, 15);
    expect(lrAt(250, 1000, spec)).toBeCloseTo(1e-3 * 0.9025, 15);
  });

  it('cosine to a floor (DEL: lr → 0.01·lr)', () => {
    const spec = { kind: 'cosine', lr: 0.015, minLr: 0.00015 } as const;
    expect(lrAt(0, 300, spec)).toBeCloseTo(0.015, 15);
    expect(lrAt(150, 300, spec)).toBeCloseTo((0.015 + 0.00015) / 2, 15);
    expect(lrAt(75, 300, spec)).toBeCloseTo(0.00015 + (0.015 - 0.00015) * (1 + Math.SQRT1_2) / 2, 15);
    expect(lrAt(300, 300, spec)).toBeCloseTo(0.00015, 15);
    expect(lrAt(150, 300, { kind: 'cosine', lr: 0.1 })).toBeCloseTo(0.05, 15);
  });

  it('linear warm-up then linear decay (DMM ResNet-9: peak 0.4 at epoch 5 of 24)', () => {
    const spec = { kind: 'warmup', lr: 0.4, warmupSteps: 50, decay: 'linear' } as const;
    expect(lrAt(0, 240, spec)).toBe(0);
    expect(lrAt(25, 240, spec)).toBeCloseTo(0.2, 15);
    expect(lrAt(50, 240, spec)).toBeCloseTo(0.4, 15);
    expect(lrAt(145, 240, spec)).toBeCloseTo(0.2, 15);
    expect(lrAt(240, 240, spec)).toBeCloseTo(0, 15);
  });

  it('linear warm-up then cosine decay to a floor; no warm-up decays from the first step', () => {
    const spec = { kind: 'warmup', lr: 1, warmupSteps: 10, decay: 'cosine', minLr: 0.1 } as const;
    expect(lrAt(5, 110, spec)).toBeCloseTo(0.5, 15);
    expect(lrAt(60, 110, spec)).toBeCloseTo(0.55, 15);
    expect(lrAt(110, 110, spec)).toBeCloseTo(0.1, 15);
    expect(lrAt(0, 10, { kind: 'warmup', lr: 1, warmupSteps: 0, decay: 'linear' })).toBe(1);
    expect(lrAt(10, 10, { kind: 'warmup', lr: 1, warmupSteps: 10, decay: 'linear' })).toBe(1);
  });

  it('rejects bad steps and specs with a LetheError naming the setting', () => {
    expect(() => lrAt(11, 10, { kind: 'constant', lr: 1 })).toThrow(LetheError);
    expect(() => lrAt(-1, 10, { kind: 'constant', lr: 1 })).toThrow(/step -1/);
    expect(() => lrAt(0, 0, { kind: 'constant', lr: 1 })).toThrow(/totalSteps/);
    expect(() => lrAt(0, 10, { kind: 'step', lr: 1, stepSize: 0, gamma: 0.5 })).toThrow(/stepSize/);
    expect(() => lrAt(0, 10, { kind: 'cosine', lr: 1, minLr: 2 })).toThrow(/minLr/);
    expect(() => lrAt(0, 10, { kind: 'warmup', lr: 1, warmupSteps: 11, decay: 'linear' })).toThrow(/warmupSteps/);
  });
});
