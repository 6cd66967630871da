/**
 * The verdict heads the report: forgot or not, utility kept or lost, each with the metrics it rests on,
 * their target, noise band and distance in band units; a retrain-free verdict says it is weaker evidence.
 */
import type { Report, Verdict, VerdictEvidence } from '../../src/engine/contracts/report';
import { verdictSentence } from '../../src/engine/contracts/verdictWords';
import { el, section } from '../dom';
import { formatNumber } from '../format';

const FINDING_TEXT: Record<VerdictEvidence['finding'], string> = {
  matches: 'within noise of the target',
  beyond: 'past the target (over-forgetting)',
  partway: 'moved, but short of the target',
  unmoved: "still at the original's level",
  kept: 'kept',
  lost: 'below the target beyond noise',
};

/** Whether a verdict is the hoped-for outcome, for its colour. */
const GOOD = new Set(['forgot', 'kept']);

/** The cells of one evidence row: metric, value, original, target, band, distance in bands, finding. */
export function evidenceCells(e: VerdictEvidence): string[] {
  return [
    e.label,
    formatNumber(e.value),
    e.original === undefined ? '—' : formatNumber(e.original),
    `${formatNumber(e.target)} (${e.targetLabel})`,
    `± ${formatNumber(e.band)}`,
    `${e.distance >= 0 ? '+' : '−'}${Math.abs(e.distance).toFixed(1)}`,
    FINDING_TEXT[e.finding],
  ];
}

/** How the bands were estimated, in one sentence. */
export function noiseText(verdict: Verdict): string {
  const spread = verdict.noise.referenceSpread ? ` and the spread between the ${verdict.references} reference models` : '';
  return `Bands are 95% noise bands of (value − target), from ${verdict.noise.resamples} bootstrap resamples over examples (seed ${verdict.noise.seed})${spread}; a distance within ±1 band is within noise.`;
}

function judgement(title: string, verdict: string, reason: string, metrics: VerdictEvidence[]): HTMLElement {
  const head = ['Metric', 'Value', 'Original', 'Target', 'Noise band', 'Distance (bands)', 'Finding'];
  return el(
    'div',
    { class: 'judgement' },
    el('h3', {}, title, ' ', el('span', { class: `status ${GOOD.has(verdict) ? 'ok' : 'failed'}` }, verdict)),
    el('p', { class: 'muted small' }, reason),
    el(
      'table',
      { class: 'evidence' },
      el('thead', {}, el('tr', {}, ...head.map((h, i) => el('th', { scope: 'col', class: i === 0 || i === head.length - 1 ? undefined : 'num' }, h)))),
      el('tbody', {}, ...metrics.map((e) => el('tr', { 'data-metric': e.metric }, ...evidenceCells(e).map((c, i) => el('td', { class: i === 0 || i === head.length - 1 ? undefined : 'num' }, c))))),
    ),
  );
}

export function renderVerdict(report: Report): HTMLElement | undefined {
  const verdict = report.verdict;
  if (!verdict) return undefined;
  const weaker = verdict.evidence === 'retrain-free (weaker)';
  return section(
    'verdict',
    'Verdict',
    el('p', { class: 'verdict-line' }, verdictSentence(verdict)),
    weaker
      ? el('p', { class: 'weaker' }, 'Retrain-free (weaker evidence): no reference model was retrained, so the targets are what the papers offer without one (forget set against unseen data).')
      : null,
    el(
      'div',
      { class: 'judgements' },
      judgement('Forgetting', verdict.forgetting.verdict, verdict.forgetting.reason, verdict.forgetting.metrics),
      verdict.utility ? judgement('Utility', verdict.utility.verdict, verdict.utility.reason, verdict.utility.metrics) : null,
    ),
    el('p', { class: 'muted small' }, noiseText(verdict)),
    verdict.notes.length > 0 ? el('ul', { class: 'notes muted small' }, ...verdict.notes.map((n) => el('li', {}, n))) : null,
  );
}
