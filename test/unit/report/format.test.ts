import { describe, expect, it } from 'vitest';
import type { MetricEntry } from '../../../src/engine/contracts/report';
import { formatSeconds, formatValue, markUnlearned, valuesDiffer } from '../../../webview/format';
import { loadSampleReport } from './helpers';

function metric(direction: MetricEntry['direction'], values: MetricEntry['values'], unit: MetricEntry['unit'] = ''): MetricEntry {
  return { id: 'm', label: 'M', group: 'accuracy', definition: 'd', direction, unit, values };
}

describe('formatValue', () => {
  it('formats by unit', () => {
    expect(formatValue(47.95, '%')).toBe('47.95 %');
    expect(formatValue(6.07, 'x')).toBe('6.1×');
    expect(formatValue(6.8, 's')).toBe('6.80 s');
    expect(formatValue(0.93524, '')).toBe('0.9352');
    expect(formatValue(412.6, '')).toBe('412.6');
    expect(formatValue(0.0000123, '')).toBe('1.23e-5');
    expect(formatValue(undefined, '')).toBe('—');
    expect(formatValue(Number.NaN, '')).toBe('—');
  });

  it('writes long durations in minutes and hours', () => {
    expect(formatSeconds(125)).toBe('2 min 5 s');
    expect(formatSeconds(3 * 3600 + 7 * 60)).toBe('3 h 7 min');
  });
});

describe('markUnlearned', () => {
  const kind = (m: MetricEntry) => markUnlearned(m)?.kind;
  const banded = (direction: MetricEntry['direction'], values: MetricEntry['values'], band: number) => ({ ...metric(direction, values), band: { unlearned: band } });

  it('follows the direction for higher/lower metrics where no reference applies', () => {
    expect(kind(metric('higher', { original: 0.8, unlearned: 0.85 }))).toBe('better');
    expect(kind(metric('higher', { original: 0.8, unlearned: 0.75 }))).toBe('worse');
    expect(kind(metric('lower', { original: 9.87, unlearned: 1.42 }))).toBe('better');
    expect(kind(metric('lower', { original: 0.5, unlearned: 0.6 }))).toBe('worse');
  });

  it('judges metrics against the reference by their distance to it in noise bands, not by the change from the original', () => {
    // Forget accuracy near the reference, inside the band: within noise, neither ✓ nor ✗.
    expect(markUnlearned(banded('reference', { original: 0.93, unlearned: 0.02, reference: 0 }, 0.03))).toEqual({ kind: 'within-noise', text: '≈ within noise of the reference' });
    // Overshooting past the reference (over-forgetting) is outside the band.
    expect(markUnlearned(banded('reference', { original: 0.8, unlearned: 0.1, reference: 0.76 }, 0.03))).toEqual({ kind: 'worse', text: '✗ 22.0× the noise band below the reference' });
  });

  it('does not mark moves toward the reference as worse (the wrong marks of issue 17)', () => {
    // RF-JSD moving toward the reference's value (not toward 0).
    expect(kind(banded('reference', { original: 5, unlearned: 7.9, reference: 8 }, 0.5))).toBe('within-noise');
    // Test accuracy falling toward the reference when a whole class is forgotten.
    expect(kind(banded('reference', { original: 0.88, unlearned: 0.8, reference: 0.795 }, 0.01))).toBe('within-noise');
    // A class still 49% recognised, against a reference that recognises none of it, is not better.
    expect(kind(banded('reference', { original: 0.9, unlearned: 0.49, reference: 0 }, 0.03))).toBe('worse');
    // A difference of 0.003 inside a band of 0.01 gets no ✗.
    expect(kind(banded('reference', { original: 0.9, unlearned: 0.897, reference: 0.9 }, 0.01))).toBe('within-noise');
  });

  it('shows the distance without ✓ or ✗ when a reference metric has no noise band', () => {
    expect(markUnlearned(metric('reference', { original: 0.93, unlearned: 0.02, reference: 0 }))).toEqual({ kind: 'unjudged', text: '+0.02 from the reference, no noise band' });
    // A lower-is-better metric with a band (the average gap) is judged against the reference too.
    expect(kind({ ...metric('lower', { original: 0.48, unlearned: 0.012, reference: 0 }), band: { unlearned: 0.02 } })).toBe('within-noise');
  });

  it('calls values equal at display precision unchanged, and needs the values it compares', () => {
    expect(kind(metric('higher', { original: 0.68421, unlearned: 0.68424 }))).toBe('same');
    expect(kind(metric('reference', { original: 0.7, unlearned: 0.8 }))).toBeUndefined();
    expect(kind(metric('lower', { unlearned: 6.8, reference: 41.3 }))).toBeUndefined();
  });

  it('marks the sample run, which carries no noise bands, by distance only on forget accuracy and MIA', () => {
    const byId = new Map(loadSampleReport().metrics.map((m) => [m.id, m]));
    expect(kind(byId.get('acc.forget')!)).toBe('unjudged');
    expect(kind(byId.get('mia.entropy')!)).toBe('unjudged');
    expect(kind(byId.get('klom.validation.p95')!)).toBe('same');
  });
});

describe('valuesDiffer (the "differences only" toggle)', () => {
  it('keeps rows whose shown values differ and drops equal or single-valued rows', () => {
    expect(valuesDiffer(metric('lower', { original: 0.7134, unlearned: 0.6921 }))).toBe(true);
    expect(valuesDiffer(metric('lower', { original: 0.68421, unlearned: 0.68422 }))).toBe(false);
    expect(valuesDiffer(metric('higher', { unlearned: 6.07 }, 'x'))).toBe(false);
    expect(valuesDiffer(metric('reference', { original: 0.5, unlearned: 0.5, reference: 0.4 }))).toBe(true);
  });
});
