/**
 * Membership inference: each privacy metric as bars per model, read against the retrained
 * reference. Far below the reference is over-forgetting, which is itself detectable.
 */
import type { MetricEntry, Report } from '../../src/engine/contracts/report';
import { baseOptions, chartBox } from '../charts';
import { el, section } from '../dom';
import { DIRECTION_TEXT, formatValue, ROLE_LABELS, ROLES } from '../format';

function miaChart(metric: MetricEntry): HTMLElement {
  const roles = ROLES.filter((role) => metric.values[role] !== undefined);
  const values = roles.map((role) => metric.values[role] ?? null);
  const label = `${metric.label}: ${roles.map((r) => `${ROLE_LABELS[r]} ${formatValue(metric.values[r], metric.unit)}`).join(', ')}`;
  return chartBox(
    label,
    (theme) => ({
      type: 'bar',
      data: {
        labels: roles.map((role) => `${ROLE_LABELS[role]}  ${formatValue(metric.values[role], metric.unit)}`),
        datasets: [{ label: metric.label, data: values, backgroundColor: roles.map((role) => theme.roles[role]), barPercentage: 0.6 }],
      },
      options: {
        ...baseOptions(theme),
        indexAxis: 'y',
        plugins: { ...baseOptions(theme).plugins, legend: { display: false } },
        scales: {
          x: { beginAtZero: true, suggestedMax: metric.unit === '%' ? 100 : 1, grid: { color: theme.grid }, ticks: { color: theme.muted } },
          y: { grid: { display: false }, ticks: { color: theme.foreground } },
        },
      },
    }),
    'small',
  );
}

export function renderMia(report: Report): HTMLElement | undefined {
  const privacy = report.metrics.filter((m) => m.group === 'privacy');
  if (privacy.length === 0) return undefined;
  return section(
    'mia',
    'Membership inference',
    el(
      'p',
      { class: 'intro' },
      'An attacker learns to tell training members (the retain set) from held-out non-members and is then asked about the forget set. ' +
        'A model that truly forgot scores like the reference model, which never saw those examples. Moving past the reference (the forget set looks even less familiar than to a model that never trained on it) is over-forgetting, which an attacker can notice too.',
    ),
    el(
      'div',
      { class: 'chart-grid wide' },
      ...privacy.map((metric) =>
        el(
          'figure',
          {},
          el('figcaption', {}, el('h3', {}, metric.label), el('p', { class: 'muted small' }, metric.definition, ' ', DIRECTION_TEXT[metric.direction], metric.referenceValue ? `; good value: ${metric.referenceValue}.` : '.')),
          miaChart(metric),
        ),
      ),
    ),
  );
}
