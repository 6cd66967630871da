import { describe, expect, it } from 'vitest';
import { binCounts, linspace, sharedRange } from '../../../src/engine/metrics';

describe('histograms', () => {
  it('linspace ends exactly on the stop value', () => {
    expect(linspace(0, 1, 5)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(linspace(0.1, 0.7, 7).at(-1)).toBe(0.7);
  });

  it('counts half-open bins, the last closed unless reproducing digitize', () => {
    const edges = [0, 1, 2, 3];
    const values = [0, 0.5, 1, 2.999, 3, 3, -1, 4];
    // [0,1): 0, 0.5 → 2; [1,2): 1 → 1; [2,3]: 2.999, 3, 3 → 3; −1 and 4 are outside.
    expect(binCounts(values, edges)).toEqual([2, 1, 3]);
    // numpy.digitize-style: the two values equal to 3 fall outside every bin.
    expect(binCounts(values, edges, false)).toEqual([2, 1, 1]);
  });

  it('shared range spans every array', () => {
    expect(sharedRange([[1, 5], Float64Array.from([-2, 0])])).toEqual([-2, 5]);
    expect(() => sharedRange([[]])).toThrow(/no values/);
  });
});
