import { describe, expect, it } from 'vitest';
import { lotusAverageGap, roundTo2, salunAverageGap } from '../../../src/engine/metrics';

const retrain = { mia: 0.76, accForget: 0.91, accRetain: 0.99, accTest: 0.91 };

describe('average gap', () => {
  it('reproduces LoTUS table rows (ResNet18, CIFAR-10)', () => {
    // Finetuning: |0.30−0.76| + |0.97−0.91| + |0.98−0.99| + |0.89−0.91| = 0.46 + 0.06 + 0.01 + 0.02 = 0.55; /4 = 0.1375.
    expect(lotusAverageGap({ mia: 0.3, accForget: 0.97, accRetain: 0.98, accTest: 0.89 }, retrain)).toBeCloseTo(0.1375, 12);
    // LoTUS: 0.07 + 0.08 + 0 + 0 = 0.15; /4 = 0.0375.
    expect(lotusAverageGap({ mia: 0.83, accForget: 0.99, accRetain: 0.99, accTest: 0.91 }, retrain)).toBeCloseTo(0.0375, 12);
  });

  it('rounds to two decimals first only when asked (LoTUS rounding)', () => {
    const method = { mia: 0.764, accForget: 0.914, accRetain: 0.99, accTest: 0.91 };
    // Unrounded: (0.004 + 0.004)/4 = 0.002. Rounded: 0.76 and 0.91 equal the reference → 0.
    expect(lotusAverageGap(method, retrain)).toBeCloseTo(0.002, 12);
    expect(lotusAverageGap(method, retrain, true)).toBe(0);
  });

  it('SalUn variant is in percent over UA, RA, TA, MIA-efficacy', () => {
    // |ΔUA| = |Δacc_F| = 0.10, RA 0.02, TA 0.04, MIA-eff 0.20 → mean 0.09 → 9 %.
    const ref = { accForget: 0.9, accRetain: 0.99, accTest: 0.9, miaEfficacy: 0.3 };
    expect(salunAverageGap({ accForget: 1, accRetain: 0.97, accTest: 0.94, miaEfficacy: 0.1 }, ref)).toBeCloseTo(9, 10);
  });

  it("roundTo2 follows Python's round (half to even on exact ties)", () => {
    expect(roundTo2(0.125)).toBe(0.12);
    expect(roundTo2(0.375)).toBe(0.38);
    expect(roundTo2(0.145)).toBe(0.14); // 0.145 is stored as 0.14499999…
    expect(roundTo2(0.926)).toBe(0.93);
  });
});
