import { describe, expect, it } from 'vitest';
import type { MetricEntry } from '../../../src/engine/contracts/report';
import { formatSeconds, formatValue, judgeUnlearned, valuesDiffer } from '../../../webview/format';
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

describe('judgeUnlearned', () => {
  it('follows the direction for higher/lower metrics', () => {
    expect(judgeUnlearned(metric('higher', { original: 0.8, unlearned: 0.85 }))).toBe('better');
    expect(judgeUnlearned(metric('higher', { original: 0.8, unlearned: 0.75 }))).toBe('worse');
    expect(judgeUnlearned(metric('lower', { original: 9.87, unlearned: 1.42 }))).toBe('better');
    expect(judgeUnlearned(metric('lower', { original: 0.5, unlearned: 0.6 }))).toBe('worse');
  });

  it('judges reference metrics by the distance to the reference, not by the sign of the change', () => {
    // Forget accuracy falling towards the reference is better...
    expect(judgeUnlearned(metric('reference', { original: 0.93, unlearned: 0.02, reference: 0 }))).toBe('better');
    // ...but overshooting past it (over-forgetting) is worse even though the value also fell.
    expect(judgeUnlearned(metric('reference', { original: 0.8, unlearned: 0.1, reference: 0.76 }))).toBe('worse');
  });

  it('calls values equal at display precision unchanged, and needs the values it compares', () => {
    expect(judgeUnlearned(metric('higher', { original: 0.68421, unlearned: 0.68424 }))).toBe('same');
    expect(judgeUnlearned(metric('reference', { original: 0.7, unlearned: 0.8 }))).toBeUndefined();
    expect(judgeUnlearned(metric('lower', { unlearned: 6.8, reference: 41.3 }))).toBeUndefined();
  });

  it('marks the sample run as an improvement on forget accuracy and MIA', () => {
    const byId = new Map(loadSampleReport().metrics.map((m) => [m.id, m]));
    expect(judgeUnlearned(byId.get('acc.forget')!)).toBe('better');
    expect(judgeUnlearned(byId.get('mia.entropy')!)).toBe('better');
    expect(judgeUnlearned(byId.get('klom.validation.p95')!)).toBe('same');
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
