/** What was run, on what, how long it took, and the speed-up over retraining. */
import type { Report } from '../../src/engine/contracts/report';
import { el, section } from '../dom';
import { formatSeconds, formatValue } from '../format';
import type { Host } from '../host';
import { filePath } from './links';

function pairs(entries: [string, Node | string | undefined][]): HTMLElement {
  const list = el('dl', { class: 'pairs' });
  for (const [term, value] of entries) {
    if (value === undefined) continue;
    list.append(el('dt', {}, term), el('dd', {}, value));
  }
  return list;
}

function group(title: string, body: HTMLElement): HTMLElement {
  return el('div', { class: 'fact-group' }, el('h3', {}, title), body);
}

/** Parameter values as the user wrote them: strings bare, everything else as JSON. */
export function formatParam(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function renderSummary(report: Report, host: Host | undefined): HTMLElement {
  const { timings, dataset, method } = report;
  const seconds = (s: number | undefined) => (s === undefined ? undefined : formatSeconds(s));

  const methodFacts = method
    ? el(
        'div',
        {},
        el('div', {}, el('strong', {}, method.title), ' ', el('code', { class: 'muted' }, method.name)),
        el('p', { class: 'citation muted small' }, method.citation),
        pairs([...Object.entries(method.params).map(([k, v]): [string, Node] => [k, el('code', {}, formatParam(v))]), ['Seed', String(report.seed)]]),
      )
    : pairs([['Kind', 'Audit (no unlearning)'], ['Seed', String(report.seed)]]);

  const speedup =
    timings.speedup !== undefined
      ? el('div', {}, el('div', { class: 'headline' }, formatValue(timings.speedup, 'x')), el('div', { class: 'muted small' }, 'faster than retraining'))
      : null;
  const timeFacts = el(
    'div',
    {},
    speedup,
    pairs([
      ['Unlearning', seconds(timings.unlearnSeconds)],
      ['Retraining (reference)', seconds(timings.referenceSeconds)],
      ['Whole run', seconds(timings.totalSeconds)],
    ]),
  );

  const sizes = dataset.sizes;
  const dataFacts = pairs([
    ['Dataset', filePath(dataset.path, host)],
    ['Classes', String(dataset.classNames.length)],
    ['Train', sizes.train.toLocaleString()],
    ['Forget', sizes.forget.toLocaleString()],
    ['Retain', sizes.retain.toLocaleString()],
    ['Validation', sizes.validation.toLocaleString()],
    ['Test', sizes.test.toLocaleString()],
  ]);

  const modelFacts = pairs(
    (['original', 'unlearned', 'reference'] as const).flatMap((role): [string, Node][] => {
      const model = report.models[role];
      return model ? [[role[0].toUpperCase() + role.slice(1), el('span', {}, filePath(model.path, host), ` (${model.format})`)]] : [];
    }),
  );

  return section(
    'summary',
    'Summary',
    el(
      'div',
      { class: 'facts' },
      group(method ? 'Method' : 'Run', methodFacts),
      group('Time', timeFacts),
      group('Data', dataFacts),
      group('Models', modelFacts),
    ),
  );
}
