/**
 * How metric values are shown and judged. Pure functions (no DOM) so the table, the MIA view and the
 * tests agree on what "equal" and "better" mean: both are decided on the value as displayed.
 */
import type { Direction, MetricEntry, ModelRole } from '../src/engine/contracts/report';

export const ROLES: readonly ModelRole[] = ['original', 'unlearned', 'reference'];

export const ROLE_LABELS: Record<ModelRole, string> = {
  original: 'Original',
  unlearned: 'Unlearned',
  reference: 'Reference (retrained)',
};

/** `%` values are percentages already (87.5 means 87.5 %), as in the papers' tables. */
export function formatValue(value: number | undefined, unit: MetricEntry['unit']): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  switch (unit) {
    case '%':
      return `${value.toFixed(2)} %`;
    case 'x':
      return `${value.toFixed(1)}×`;
    case 's':
      return formatSeconds(value);
    default:
      return formatNumber(value);
  }
}

/** Four significant digits, switching to exponent notation for very small or large magnitudes. */
export function formatNumber(value: number): string {
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude < 1e-3 || magnitude >= 1e6) return value.toExponential(2);
  return Number(value.toPrecision(4)).toString();
}

export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds < 10 ? seconds.toFixed(2) : seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = Math.round(seconds - minutes * 60);
  return minutes < 60 ? `${minutes} min ${rest} s` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

export const DIRECTION_TEXT: Record<Direction, string> = {
  higher: 'Higher is better',
  lower: 'Lower is better',
  reference: 'Closer to the reference model is better',
};

/** True when the models disagree on this metric at display precision (what "differences only" keeps). */
export function valuesDiffer(metric: MetricEntry): boolean {
  const shown = ROLES.filter((role) => metric.values[role] !== undefined).map((role) =>
    formatValue(metric.values[role], metric.unit),
  );
  return new Set(shown).size > 1;
}

/**
 * How the unlearned value is marked. Judged against the reference when the metric has a reference value
 * and a noise band: `within-noise` when its distance to the reference is inside the band (shown without
 * ✓ or ✗, since it cannot be told apart from the reference), `worse` (✗) outside it. A reference metric
 * without a band is `unjudged`: its distance is shown, with no mark. Direction-only marks (`better`,
 * `worse`, `same` against the original) only where no reference applies.
 */
export interface Mark {
  kind: 'better' | 'worse' | 'same' | 'within-noise' | 'unjudged';
  text: string;
}

/** Undefined when the values needed are missing. */
export function markUnlearned(metric: MetricEntry): Mark | undefined {
  const { original, unlearned, reference } = metric.values;
  if (unlearned === undefined) return undefined;
  const band = metric.band?.unlearned;
  if (reference !== undefined && (metric.direction === 'reference' || band !== undefined)) {
    const gap = unlearned - reference;
    if (band === undefined) return { kind: 'unjudged', text: `${gap >= 0 ? '+' : '−'}${formatValue(Math.abs(gap), metric.unit)} from the reference, no noise band` };
    if (Math.abs(gap) <= band) return { kind: 'within-noise', text: '≈ within noise of the reference' };
    return { kind: 'worse', text: `✗ ${(Math.abs(gap) / band).toFixed(1)}× the noise band ${gap > 0 ? 'above' : 'below'} the reference` };
  }
  if (metric.direction === 'reference' || original === undefined) return undefined;
  if (formatValue(original, metric.unit) === formatValue(unlearned, metric.unit)) return { kind: 'same', text: '= unchanged' };
  const better = metric.direction === 'higher' ? unlearned > original : unlearned < original;
  return better ? { kind: 'better', text: '✓ better' } : { kind: 'worse', text: '✗ worse' };
}
