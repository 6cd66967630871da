import { describe, expect, it } from 'vitest';
import { accuracy, perClassAccuracy, predictedClasses } from '../../../src/engine/metrics';
import { LetheError } from '../../../src/engine/util/errors';

// 5 examples, 3 classes. Predictions: 1, 0, 2, 0 (tie between 0 and 1 → first), 1.
const logits = Float32Array.from([0, 5, 1, 3, 1, 0, 0, 0, 9, 2, 2, 1, 0, 4, 0]);
const labels = Int32Array.from([1, 1, 2, 0, 1]);

describe('accuracy', () => {
  it('takes the first maximum on ties', () => {
    expect(Array.from(predictedClasses(logits, 3))).toEqual([1, 0, 2, 0, 1]);
  });

  it('overall: 4 of 5 correct', () => {
    // correct: row0 (1=1), row2 (2=2), row3 (0=0), row4 (1=1); row1 predicts 0 for label 1.
    expect(accuracy(logits, labels, 3)).toBe(0.8);
  });

  it('per class, null where a class has no examples', () => {
    // class 0: row3 → 1/1; class 1: rows 0,1,4 → 2/3; class 2: row2 → 1/1; class 3: none.
    expect(perClassAccuracy(logits, labels, 3)).toEqual([1, 2 / 3, 1]);
    const four = Float32Array.from([1, 0, 0, 0, 0, 1, 0, 0]);
    expect(perClassAccuracy(four, Int32Array.from([0, 0]), 4)).toEqual([0.5, null, null, null]);
  });

  it('rejects bad input with a LetheError naming the cause', () => {
    expect(() => accuracy(logits, Int32Array.from([1, 1]), 3)).toThrow(/5 rows of logits but 2 labels/);
    expect(() => accuracy(logits, Int32Array.from([1, 1, 2, 0, 3]), 3)).toThrow(/label 3 at row 4/);
    expect(() => accuracy(Float32Array.from([0, NaN]), Int32Array.from([0]), 2)).toThrow(LetheError);
    expect(() => accuracy(new Float32Array(0), new Int32Array(0), 2)).toThrow(/empty/);
  });
});
