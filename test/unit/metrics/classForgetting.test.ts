import { describe, expect, it } from 'vitest';
import { accuracyOnClasses, computeMetrics, forgettingEfficacy, forgottenClasses } from '../../../src/engine/metrics';
import { LetheError } from '../../../src/engine/util/errors';

describe('class forgetting (mnemonic-code metrics)', () => {
  it('finds the classes present in F and absent from R', () => {
    expect(forgottenClasses(Int32Array.from([2, 0, 2, 1]), Int32Array.from([1, 3, 1]))).toEqual([0, 2]);
    expect(forgottenClasses(Int32Array.from([1]), Int32Array.from([1, 0]))).toEqual([]);
  });

  it('accuracy inside and outside a set of classes', () => {
    // Predictions 0, 1, 1, 2 for labels 0, 0, 1, 2: class 0 → 1/2; others → 2/2.
    const logits = Float32Array.from([5, 0, 0, 0, 5, 0, 0, 5, 0, 0, 0, 5]);
    const labels = Int32Array.from([0, 0, 1, 2]);
    expect(accuracyOnClasses(logits, labels, 3, [0], true)).toBe(0.5);
    expect(accuracyOnClasses(logits, labels, 3, [0], false)).toBe(1);
    expect(accuracyOnClasses(logits, labels, 3, [0, 1, 2], false)).toBeNull();
  });

  it('E_F = 100 · (1 − after / before)', () => {
    expect(forgettingEfficacy(0.9, 0)).toBe(100);
    expect(forgettingEfficacy(0.8, 0.2)).toBeCloseTo(75, 12); // 100 · (1 − 0.25)
    expect(() => forgettingEfficacy(0, 0)).toThrow(LetheError);
  });

  it('computeMetrics reports them only when a whole class is forgotten', () => {
    // 2 classes; F = class 0 only, R = class 1 only. Test: two examples of each class.
    const oneHot = (cls: number[]) => Float32Array.from(cls.flatMap((c) => (c === 0 ? [3, 0] : [0, 3])));
    const labels = { forget: Int32Array.from([0, 0]), retain: Int32Array.from([1, 1]), test: Int32Array.from([0, 0, 1, 1]) };
    const out = computeMetrics({
      classNames: ['tshirt', 'trouser'],
      labels,
      logits: {
        original: { forget: oneHot([0, 0]), retain: oneHot([1, 1]), test: oneHot([0, 0, 1, 1]) },
        // Unlearned: test class-0 examples now predicted 1 (one of two) → forgotten acc 0.5, E_F = 50.
        unlearned: { forget: oneHot([1, 1]), retain: oneHot([1, 1]), test: oneHot([1, 0, 1, 1]) },
      },
      options: { include: { mia: false, histograms: false } },
    });
    const v = (id: string) => out.metrics.find((m) => m.id === id)?.values;
    expect(v('mnemonic.forgotten')).toEqual({ original: 1, unlearned: 0.5 });
    expect(v('mnemonic.remaining')).toEqual({ original: 1, unlearned: 1 });
    expect(v('mnemonic.ef')).toEqual({ unlearned: 50 });

    const randomForgetting = computeMetrics({
      classNames: ['tshirt', 'trouser'],
      labels: { ...labels, retain: Int32Array.from([0, 1]) },
      logits: { original: { forget: oneHot([0, 0]), retain: oneHot([0, 1]), test: oneHot([0, 0, 1, 1]) } },
      options: { include: { mia: false } },
    });
    expect(randomForgetting.metrics.filter((m) => m.group === 'mnemonic')).toEqual([]);
  });
});
