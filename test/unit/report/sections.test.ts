import { describe, expect, it } from 'vitest';
import type { Histogram } from '../../../src/engine/contracts/report';
import { thumbnailOf } from '../../../webview/sections/attribution';
import { stepPoints } from '../../../webview/sections/histograms';
import { classesWithData } from '../../../webview/sections/per-class';
import { evidenceCells, noiseText } from '../../../webview/sections/verdict';
import type { Verdict } from '../../../src/engine/contracts/report';
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

describe('verdict section', () => {
  const evidence = { metric: 'acc.forget', label: 'Forget accuracy', value: 0.902, original: 0.995, target: 0.9, targetLabel: 'reference', band: 0.01, distance: 0.2, finding: 'matches' } as const;

  it('shows each metric with its target, band and signed distance in bands', () => {
    expect(evidenceCells(evidence)).toEqual(['Forget accuracy', '0.902', '0.995', '0.9 (reference)', '± 0.01', '+0.2', 'within noise of the target']);
    expect(evidenceCells({ ...evidence, value: 0.7, original: undefined, distance: -20, finding: 'beyond' })).toEqual([
      'Forget accuracy', '0.7', '—', '0.9 (reference)', '± 0.01', '−20.0', 'past the target (over-forgetting)',
    ]);
  });

  it('says how the noise was estimated, with the reference spread only when several references were trained', () => {
    const verdict: Verdict = {
      evidence: 'reference',
      references: 3,
      forgetting: { verdict: 'forgot', reason: '', metrics: [evidence] },
      noise: { level: 0.95, resamples: 1000, seed: 4, referenceSpread: true },
      notes: [],
    };
    expect(noiseText(verdict)).toBe(
      'Bands are 95% noise bands of (value − target), from 1000 bootstrap resamples over examples (seed 4) and the spread between the 3 reference models; a distance within ±1 band is within noise.',
    );
    expect(noiseText({ ...verdict, references: 1, noise: { ...verdict.noise, referenceSpread: false } })).not.toContain('spread');
  });
});
