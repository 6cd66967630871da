import { describe, expect, it } from 'vitest';
import { costFraction, exampleGradients, speedup } from '../../../src/engine/metrics';
import { LetheError } from '../../../src/engine/util/errors';

describe('time and cost', () => {
  it('speed-up = retrain time / unlearning time (LoTUS ResNet18 CIFAR-10: 5.32 / 0.29 ≈ 18.3)', () => {
    expect(speedup(5.32, 0.29)).toBeCloseTo(18.3448, 3);
  });

  it('cost fraction reproduces the EasyDUB CSV', () => {
    const retrain = exampleGradients(24, 60_000); // 1.44e6
    // one epoch over 500 forget examples: 500 / 1.44e6 = 3.472e-4
    expect(costFraction(exampleGradients(1, 500), retrain)).toBeCloseTo(3.472e-4, 7);
    // five retain epochs over 50,000: 250,000 / 1.44e6 = 0.17361
    expect(costFraction(exampleGradients(5, 50_000), retrain)).toBeCloseTo(0.17361, 5);
  });

  it('rejects non-positive references', () => {
    expect(() => speedup(0, 1)).toThrow(LetheError);
    expect(() => speedup(1, -1)).toThrow(/method time/);
    expect(() => costFraction(1, 0)).toThrow(/reference example-gradients/);
    expect(() => exampleGradients(-1, 5)).toThrow(LetheError);
  });
});
