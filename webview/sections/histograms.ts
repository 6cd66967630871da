/**
 * Margin and confidence distributions: for each model, forget vs retain vs test overlaid, each
 * normalised to a share of its split so splits of different sizes are comparable.
 */
import type { Histogram, ModelRole, Report } from '../../src/engine/report/schema';
import { baseOptions, chartBox } from '../charts';
import { el, section } from '../dom';
import { ROLE_LABELS, ROLES } from '../format';
import { withAlpha } from '../theme';

const QUANTITY_TEXT: Record<string, string> = {
  margin: 'Margin = correct-class logit minus log-sum-exp of the other logits. Training members tend to have larger margins than unseen examples.',
  confidence: 'Confidence = softmax probability of the correct class, the feature the confidence attack uses.',
};

/** Bin centres with each bin's share of the split (the histogram's counts sum to 1). */
export function normalisedPoints(histogram: Histogram): { x: number; y: number }[] {
  const total = histogram.counts.reduce((a, b) => a + b, 0) || 1;
  return histogram.counts.map((count, i) => ({ x: (histogram.edges[i] + histogram.edges[i + 1]) / 2, y: count / total }));
}

function overlayChart(quantity: string, role: ModelRole, histograms: Histogram[]): HTMLElement {
  return chartBox(`${quantity} distribution of the ${ROLE_LABELS[role].toLowerCase()} model by split`, (theme) => ({
    type: 'line',
    data: {
      datasets: histograms.map((h) => ({
        label: h.split,
        data: normalisedPoints(h),
        borderColor: theme.splits[h.split],
        backgroundColor: withAlpha(theme.splits[h.split], 0.15),
        fill: 'origin',
        stepped: 'middle' as const,
        borderWidth: 1.5,
        pointRadius: 0,
      })),
    },
    options: {
      ...baseOptions(theme),
      scales: {
        x: { type: 'linear', title: { display: true, text: quantity, color: theme.muted }, grid: { color: theme.grid }, ticks: { color: theme.muted } },
        y: { beginAtZero: true, title: { display: true, text: 'share of split', color: theme.muted }, grid: { color: theme.grid }, ticks: { color: theme.muted } },
      },
    },
  }));
}

export function renderHistograms(report: Report): HTMLElement | undefined {
  if (report.histograms.length === 0) return undefined;
  const quantities = [...new Set(report.histograms.map((h) => h.quantity))];
  return section(
    'histograms',
    'Margins and confidences',
    el('p', { class: 'intro' }, 'For each model, the forget, retain and test distributions overlaid. After good unlearning the forget set moves from looking like the retain set (seen in training) to looking like the test set (never seen), as it does for the reference model.'),
    ...quantities.map((quantity) => {
      const ofQuantity = report.histograms.filter((h) => h.quantity === quantity);
      const roles = ROLES.filter((role) => ofQuantity.some((h) => h.role === role));
      return el(
        'div',
        { class: 'quantity' },
        el('h3', {}, quantity[0].toUpperCase() + quantity.slice(1)),
        QUANTITY_TEXT[quantity] ? el('p', { class: 'muted small' }, QUANTITY_TEXT[quantity]) : null,
        el(
          'div',
          { class: 'chart-grid' },
          ...roles.map((role) =>
            el('figure', {}, el('figcaption', { class: 'muted' }, ROLE_LABELS[role]), overlayChart(quantity, role, ofQuantity.filter((h) => h.role === role))),
          ),
        ),
      );
    }),
  );
}
