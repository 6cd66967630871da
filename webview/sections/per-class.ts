/** Per-class accuracy: one grouped bar chart per split, one bar per model. */
import type { PerClassAccuracy, Report } from '../../src/engine/contracts/report';
import { baseOptions, chartBox } from '../charts';
import { el, section } from '../dom';
import { ROLE_LABELS, ROLES } from '../format';

const SPLIT_TITLES: Record<PerClassAccuracy['split'], string> = {
  forget: 'Forget set',
  retain: 'Retain set',
  test: 'Test set',
  validation: 'Validation set',
};

/** Accuracies may be fractions (0–1) or percentages; the axis follows the data. */
function axisMax(entry: PerClassAccuracy): number {
  const all = ROLES.flatMap((role) => entry.values[role] ?? []).filter((v): v is number => v !== null);
  return all.some((v) => v > 1) ? 100 : 1;
}

/** Indices of the classes with a value for some model: a split may hold only some classes (a forgotten class). */
export function classesWithData(entry: PerClassAccuracy): number[] {
  return entry.classNames.map((_, c) => c).filter((c) => ROLES.some((role) => (entry.values[role]?.[c] ?? null) !== null));
}

function perClassChart(entry: PerClassAccuracy): HTMLElement {
  const roles = ROLES.filter((role) => entry.values[role]);
  const classes = classesWithData(entry);
  return chartBox(`Per-class accuracy on the ${SPLIT_TITLES[entry.split].toLowerCase()}`, (theme) => ({
    type: 'bar',
    data: {
      labels: classes.map((c) => entry.classNames[c]),
      datasets: roles.map((role) => ({
        label: ROLE_LABELS[role],
        data: classes.map((c) => entry.values[role]?.[c] ?? null),
        backgroundColor: theme.roles[role],
        categoryPercentage: 0.75,
        barPercentage: 0.9,
        maxBarThickness: 40,
      })),
    },
    options: {
      ...baseOptions(theme),
      scales: {
        x: { grid: { display: false }, ticks: { color: theme.foreground, autoSkip: false, maxRotation: 45 } },
        y: { min: 0, max: axisMax(entry), grid: { color: theme.grid }, ticks: { color: theme.muted } },
      },
    },
  }));
}

export function renderPerClass(report: Report): HTMLElement | undefined {
  if (report.perClass.length === 0) return undefined;
  return section(
    'per-class',
    'Per-class accuracy',
    el('p', { class: 'intro' }, 'Accuracy per class and split. Each split shows the classes it contains. After unlearning, the forgotten examples should look like the reference model\u2019s, and the other classes should keep their accuracy.'),
    el(
      'div',
      { class: 'chart-grid wide' },
      ...report.perClass.map((entry) => el('figure', {}, el('figcaption', {}, el('h3', {}, SPLIT_TITLES[entry.split])), perClassChart(entry))),
    ),
  );
}
