/** The selection rule and the Pareto front (docs/calibration.md, "Selection") on constructed trial results. */
import { describe, expect, it } from 'vitest';
import { calibrated, paretoFront, recommended, summarise } from '../../../src/engine/calibrate/select';
import { trial } from './trials';

describe('calibrated: per method its best trial', () => {
  it('forgot with utility kept wins over a smaller gap that lost utility or did not forget', () => {
    const trials = [
      trial('a/0', { forgetting: 'partly forgot', gapBands: 1.2 }),
      trial('a/1', { forgetting: 'forgot', gapBands: 0.9, utility: 'lost' }),
      trial('a/2', { forgetting: 'forgot', gapBands: -0.8 }),
      trial('a/3', { forgetting: 'forgot', gapBands: 0.3, seconds: 9 }),
    ];
    expect(calibrated(trials, ['a']).map((c) => c.trial)).toEqual(['a/3']);
  });

  it('then the smallest |gap| in bands, then the cheapest, then the nearest the base; never by wall time', () => {
    const trials = [trial('a/0', { forgetting: 'forgot', gapBands: -0.5, exampleGradients: 5000 }), trial('a/1', { forgetting: 'forgot', gapBands: 0.5, exampleGradients: 2000, seconds: 9 }), trial('a/2', { forgetting: 'forgot', gapBands: 0.7, exampleGradients: 10 })];
    expect(calibrated(trials, ['a'])[0].trial).toBe('a/1');
    const tied = [trial('a/3', { seconds: 1 }), trial('a/2', { seconds: 2 })];
    expect(calibrated(tied, ['a'])[0].trial).toBe('a/2');
  });

  it('kept utility before lost when nothing forgot; failed trials never chosen but counted', () => {
    const trials = [trial('a/0', { gapBands: 5 }), trial('a/1', { gapBands: 1, utility: 'lost' }), trial('a/2', { error: 'diverged', forgetting: undefined, gapBands: undefined })];
    const [c] = calibrated(trials, ['a']);
    expect(c).toMatchObject({ method: 'a', trial: 'a/0', trials: 3, settings: { lr: 0.01 } });
  });

  it('a method whose trials all failed is left out; methods keep their order', () => {
    const trials = [trial('b/0', {}), trial('a/0', { error: 'x', forgetting: undefined }), trial('c/0', {})];
    expect(calibrated(trials, ['c', 'a', 'b']).map((c) => c.method)).toEqual(['c', 'b']);
  });
});

describe('recommended', () => {
  it('is the best of the methods’ choices by the same rule', () => {
    const trials = [trial('a/0', { forgetting: 'forgot', gapBands: 0.9 }), trial('b/0', { forgetting: 'forgot', gapBands: 0.2 }), trial('c/0', { gapBands: 0.1 })];
    expect(recommended(trials, calibrated(trials, ['a', 'b', 'c']))).toBe('b');
  });

  it('is absent when no trial succeeded', () => {
    expect(summarise([trial('a/0', { error: 'x', forgetting: undefined })], ['a'])).toEqual({ calibrated: [], front: [] });
  });
});

describe('paretoFront', () => {
  it('keeps the trials no other beats on |gap|, test accuracy and compute, by |gap|', () => {
    const trials = [
      trial('a/0', { gapBands: 0.5, testAccuracy: 0.85, exampleGradients: 4000 }),
      trial('a/1', { gapBands: -0.2, testAccuracy: 0.8, exampleGradients: 4000 }), // closer but worse utility: on the front
      trial('b/0', { gapBands: 0.6, testAccuracy: 0.84, exampleGradients: 5000 }), // dominated by a/0
      trial('b/1', { gapBands: 3, testAccuracy: 0.86, exampleGradients: 500 }), // cheapest and best utility: on the front
      trial('c/0', { error: 'x', forgetting: undefined, gapBands: undefined }),
    ];
    expect(paretoFront(trials)).toEqual(['a/1', 'a/0', 'b/1']);
  });
});
