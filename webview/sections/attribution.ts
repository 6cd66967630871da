/**
 * Attribution before and after unlearning: the training examples that most influenced each
 * explained prediction. Examples that left the top list are struck through, newcomers tagged.
 * A `thumbnail` (image data URI) on an entry is shown when present; the schema does not require it.
 */
import type { AttributionEntry, Report } from '../../src/engine/contracts/report';
import { el, section } from '../dom';
import { formatNumber } from '../format';

const IMAGE_DATA_URI = /^data:image\/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/]+={0,2}$/;

/** The entry's thumbnail if it is an inline raster image; anything else (URLs, SVG) is ignored. */
export function thumbnailOf(entry: object): string | undefined {
  const thumbnail = (entry as { thumbnail?: unknown }).thumbnail;
  return typeof thumbnail === 'string' && IMAGE_DATA_URI.test(thumbnail) ? thumbnail : undefined;
}

function thumbnail(entry: object, size: 'normal' | 'large' = 'normal'): HTMLElement | null {
  const src = thumbnailOf(entry);
  return src ? el('img', { class: `thumb ${size === 'large' ? 'large' : ''}`, src, alt: '' }) : null;
}

function className(report: Report, label: number): string {
  return report.dataset.classNames[label] ?? String(label);
}

function rankedTable(report: Report, title: string, rows: AttributionEntry['before'], otherIds: Set<string>, kind: 'before' | 'after'): HTMLElement {
  const hasThumbnails = rows.some((row) => thumbnailOf(row));
  return el(
    'div',
    {},
    el('h3', {}, title),
    el(
      'table',
      { class: 'ranked' },
      el(
        'thead',
        {},
        el('tr', {}, el('th', { class: 'num shrink' }, '#'), hasThumbnails ? el('th', { class: 'shrink' }, '') : null, el('th', {}, 'Training example'), el('th', {}, 'Label'), el('th', { class: 'num' }, 'Score')),
      ),
      el(
        'tbody',
        {},
        ...rows.map((row, i) => {
          const changed = !otherIds.has(row.id);
          const tag = changed ? el('span', { class: 'tag' }, kind === 'before' ? 'gone after' : 'new') : null;
          return el(
            'tr',
            { class: changed && kind === 'before' ? 'dropped' : '' },
            el('td', { class: 'num muted shrink' }, String(i + 1)),
            hasThumbnails ? el('td', { class: 'shrink' }, thumbnail(row)) : null,
            el('td', {}, el('code', {}, row.id), tag),
            el('td', {}, className(report, row.label)),
            el('td', { class: 'num' }, formatNumber(row.score)),
          );
        }),
      ),
    ),
  );
}

export function renderAttribution(report: Report): HTMLElement | undefined {
  if (!report.attribution?.length) return undefined;
  return section(
    'attribution',
    'Attribution before and after',
    el('p', { class: 'intro' }, 'The training examples with the largest influence on each explained prediction, before and after unlearning. Forgotten examples should drop out of the list after unlearning.'),
    ...report.attribution.map((entry) => {
      const beforeIds = new Set(entry.before.map((e) => e.id));
      const afterIds = new Set(entry.after.map((e) => e.id));
      return el(
        'div',
        { class: 'attribution-entry' },
        el(
          'div',
          { class: 'attribution-target' },
          thumbnail(entry.target, 'large'),
          el('div', {}, el('strong', {}, 'Explained: '), el('code', {}, entry.target.id), ` · ${entry.target.split} · label ${className(report, entry.target.label)}`),
        ),
        el('div', { class: 'attribution' }, rankedTable(report, 'Before unlearning', entry.before, afterIds, 'before'), rankedTable(report, 'After unlearning', entry.after, beforeIds, 'after')),
      );
    }),
  );
}
