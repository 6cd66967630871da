/**
 * Margin and confidence distributions: for each model, forget vs retain vs test overlaid, each
 * normalised to a share of its split so splits of different sizes are comparable. All charts of
 * one quantity get the same data range for their axes (chart.js rounds it to the same ticks), so
 * the models can be compared at a glance.
 */
import type { Histogram, ModelRole, Report } from '../../src/engine/contracts/report';
import { baseOptions, chartBox } from '../charts';
import { el, section } from '../dom';
import { ROLE_LABELS, ROLES } from '../format';
import { withAlpha } from '../theme';

const QUANTITY_TEXT: Record<string, string> = {
  margin: 'Margin = correct-class logit minus log-sum-exp of the other logits. Training members tend to have larger margins than unseen examples.',
  confidence: 'Confidence = softmax probability of the correct class, the feature the confidence attack uses.',
};

/**
 * The histogram as a step line: one point at each bin's left edge with the bin's share of the split
 * (counts sum to 1), and a closing point at the last edge. Drawn with `stepped: 'after'`.
 */
export function stepPoints(histogram: Histogram): { x: number; y: number }[] {
  const total = histogram.counts.reduce((a, b) => a + b, 0) || 1;
  const shares = histogram.counts.map((count) => count / total);
  return [...shares.map((y, i) => ({ x: histogram.edges[i], y })), { x: histogram.edges[shares.length], y: shares[shares.length - 1] ?? 0 }];
}

interface Axes {
  xMin: number;
  xMax: number;
  yMax: number;
}

function sharedAxes(histograms: Histogram[]): Axes {
  const points = histograms.flatMap(stepPoints);
  return {
    xMin: Math.min(...points.map((p) => p.x)),
    xMax: Math.max(...points.map((p) => p.x)),
    yMax: Math.max(...points.map((p) => p.y)),
  };
}

function overlayChart(quantity: string, role: ModelRole, histograms: Histogram[], axes: Axes): HTMLElement {
  return chartBox(`${quantity} distribution of the ${ROLE_LABELS[role].toLowerCase()} model by split`, (theme) => ({
    type: 'line',
    data: {
      datasets: histograms.map((h) => ({
        label: h.split,
        data: stepPoints(h),
        borderColor: theme.splits[h.split],
        backgroundColor: withAlpha(theme.splits[h.split], 0.15),
        fill: 'origin',
        stepped: 'after' as const,
        borderWidth: 1.5,
        pointRadius: 0,
      })),
    },
    options: {
      ...baseOptions(theme),
      scales: {
        x: { type: 'linear', suggestedMin: axes.xMin, suggestedMax: axes.xMax, title: { display: true, text: quantity, color: theme.muted }, grid: { color: theme.grid }, ticks: { color: theme.muted } },
        y: { min: 0, suggestedMax: axes.yMax, title: { display: true, text: 'share of split', color: theme.muted }, grid: { color: theme.grid }, ticks: { color: theme.muted, precision: 2 } },
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
    el('p', { class: 'intro' }, 'For each model, the distribution on each split overlaid. After good unlearning the forget distribution matches the reference model\u2019s: no longer like the retain set (seen in training) but like data never seen (the test set when random examples are forgotten, lower still when a whole class is).'),
    ...quantities.map((quantity) => {
      const ofQuantity = report.histograms.filter((h) => h.quantity === quantity);
      const axes = sharedAxes(ofQuantity);
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
            el('figure', {}, el('figcaption', { class: 'muted' }, ROLE_LABELS[role]), overlayChart(quantity, role, ofQuantity.filter((h) => h.role === role), axes)),
          ),
        ),
      );
    }),
  );
}
