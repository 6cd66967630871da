import { describe, expect, it } from 'vitest';
import type { Histogram } from '../../../src/engine/contracts/report';
import { thumbnailOf } from '../../../webview/sections/attribution';
import { stepPoints } from '../../../webview/sections/histograms';
import { classesWithData } from '../../../webview/sections/per-class';
import { loadSampleReport } from './helpers';

describe('stepPoints (histogram as a step line)', () => {
  it('puts each bin share at its left edge and closes at the last edge', () => {
    const histogram: Histogram = { quantity: 'margin', split: 'forget', role: 'original', edges: [-1, 0, 1, 2], counts: [1, 3, 0] };
    expect(stepPoints(histogram)).toEqual([
      { x: -1, y: 0.25 },
      { x: 0, y: 0.75 },
      { x: 1, y: 0 },
      { x: 2, y: 0 },
    ]);
  });

  it('gives shares summing to 1 for every histogram of the sample, and zeros for an empty one', () => {
    for (const h of loadSampleReport().histograms) {
      const shares = stepPoints(h).slice(0, -1).map((p) => p.y);
      expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    }
    expect(stepPoints({ quantity: 'margin', split: 'test', role: 'reference', edges: [0, 1], counts: [0] })).toEqual([
      { x: 0, y: 0 },
      { x: 1, y: 0 },
    ]);
  });
});

describe('classesWithData (per-class charts)', () => {
  it('keeps only the classes a split contains', () => {
    const [forget, retain, test] = loadSampleReport().perClass;
    expect(classesWithData(forget)).toEqual([0]);
    expect(classesWithData(retain)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(classesWithData(test)).toHaveLength(10);
  });
});

describe('thumbnailOf (attribution images)', () => {
  it('accepts inline raster images only', () => {
    const png = 'data:image/png;base64,iVBORw0KGgo=';
    expect(thumbnailOf({ thumbnail: png })).toBe(png);
    expect(thumbnailOf({ thumbnail: 'data:image/jpeg;base64,/9j/4AAQ' })).toBe('data:image/jpeg;base64,/9j/4AAQ');
    for (const thumbnail of [
      'https://example.com/a.png',
      '//example.com/a.png',
      'javascript:alert(1)',
      'data:image/svg+xml;base64,PHN2Zz4=',
      'data:text/html;base64,PHNjcmlwdD4=',
      'data:image/png;base64,AAAA" onerror="alert(1)',
      42,
      undefined,
    ]) {
      expect(thumbnailOf({ thumbnail }), String(thumbnail)).toBeUndefined();
    }
    expect(thumbnailOf({ id: 'train:1', score: 0.1, label: 0 })).toBeUndefined();
  });
});
