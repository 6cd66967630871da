/**
 * The metrics table: original / unlearned / reference side by side, each metric followed by a row
 * with its definition, direction and what a good value looks like (visible text, not a tooltip).
 * The unlearned value is marked against the reference's noise band where a reference applies, otherwise
 * better or worse than the original by the metric's direction (format.ts `markUnlearned`).
 */
import type { MetricEntry, ModelRole, Report } from '../../src/engine/contracts/report';
import { el, section } from '../dom';
import { DIRECTION_TEXT, formatValue, markUnlearned, ROLE_LABELS, ROLES, valuesDiffer } from '../format';

const GROUP_TITLES: Record<MetricEntry['group'], string> = {
  accuracy: 'Accuracy',
  privacy: 'Privacy (membership inference)',
  divergence: 'Output divergence',
  klom: 'KLoM (margins across models)',
  cost: 'Cost',
  mnemonic: 'Mnemonic code',
};

/** The model columns this report has values for (an audit, or a run without retraining, has no reference). */
function columnsOf(report: Report): ModelRole[] {
  return ROLES.filter((role) => report.metrics.some((m) => m.values[role] !== undefined));
}

function valueCell(metric: MetricEntry, role: ModelRole): HTMLElement {
  const cell = el('td', { class: `num role-${role}` }, formatValue(metric.values[role], metric.unit));
  if (role !== 'unlearned') return cell;
  const mark = markUnlearned(metric);
  if (mark && mark.kind !== 'same') {
    cell.classList.add(mark.kind);
    cell.append(el('span', { class: 'mark' }, mark.text));
  }
  return cell;
}

function metricRows(metric: MetricEntry, roles: ModelRole[]): HTMLElement {
  const definition = el(
    'td',
    { colspan: roles.length + 1 },
    metric.definition,
    ' ',
    el('span', { class: 'target' }, DIRECTION_TEXT[metric.direction], metric.referenceValue ? `; good value: ${metric.referenceValue}.` : '.'),
  );
  return el(
    'tbody',
    { class: 'metric', 'data-metric': metric.id, 'data-differs': String(valuesDiffer(metric)) },
    el('tr', { class: 'values' }, el('th', { scope: 'row' }, metric.label), ...roles.map((role) => valueCell(metric, role))),
    el('tr', { class: 'definition' }, definition),
  );
}

function groupBy<T, K extends string>(items: T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

function metricsIntro(roles: ModelRole[]): string {
  const models = roles.includes('reference')
    ? 'Each metric for the original model, the unlearned model and the reference model retrained without the forget set.'
    : 'Each metric for the models of this run; it has no reference model retrained without the forget set, so metrics judged against one are not marked.';
  return `${models} Against the reference, the unlearned value is marked by its distance to the reference in units of the metric's 95% noise band: \u2248 within noise when inside it (no \u2713 or \u2717: it cannot be told apart from the reference), \u2717 outside it; without a band only the distance is shown. Metrics with no reference value are marked \u2713 better or \u2717 worse than the original, as the metric prefers, without a noise band.`;
}

export function renderMetrics(report: Report, differencesOnly: boolean, onToggle: (differencesOnly: boolean) => void): HTMLElement {
  const roles = columnsOf(report);
  const table = el(
    'table',
    { class: 'metrics' },
    el('colgroup', {}, el('col', { class: 'name' }), ...roles.map(() => el('col', {}))),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Metric'), ...roles.map((role) => el('th', { scope: 'col', class: 'num' }, ROLE_LABELS[role])))),
  );
  for (const [group, metrics] of groupBy(report.metrics, (m) => m.group)) {
    const anyDiffers = metrics.some(valuesDiffer);
    table.append(
      el('tbody', { class: 'group', 'data-any-differs': String(anyDiffers) }, el('tr', {}, el('th', { colspan: roles.length + 1, scope: 'colgroup' }, GROUP_TITLES[group]))),
      ...metrics.map((metric) => metricRows(metric, roles)),
    );
  }
  table.classList.toggle('all-equal', !report.metrics.some(valuesDiffer));

  const applyToggle = (on: boolean) => table.classList.toggle('differences-only', on);
  applyToggle(differencesOnly);
  const toggle = el('vscode-checkbox', { label: 'Differences only', checked: differencesOnly, id: 'differences-only' });
  toggle.addEventListener('change', () => {
    const on = (toggle as HTMLElement & { checked: boolean }).checked;
    applyToggle(on);
    onToggle(on);
  });

  return section(
    'metrics',
    'Metrics',
    el(
      'div',
      { class: 'table-toolbar' },
      el('p', { class: 'intro' }, metricsIntro(roles)),
      toggle,
    ),
    table,
    el('div', { class: 'empty-note' }, 'All models agree on every metric.'),
  );
}
