/** Provenance: hashes of every input and output, versions, parameters, timings and verification. */
import type { FileHash, Report } from '../../src/engine/contracts/report';
import { el, section } from '../dom';
import { formatBytes, formatSeconds } from '../format';
import type { Host } from '../host';
import { verificationStatus } from './header';
import { filePath } from './links';
import { formatParam } from './summary';

/** Inputs and outputs in one table so their columns line up. */
function hashTable(inputs: FileHash[], outputs: FileHash[], host: Host | undefined): HTMLElement {
  const rows = (title: string, files: FileHash[]) =>
    files.length === 0
      ? []
      : [
          el('tbody', { class: 'direction' }, el('tr', {}, el('th', { colspan: 4, scope: 'colgroup' }, title))),
          el(
            'tbody',
            { class: 'files' },
            ...files.map((file) =>
              el('tr', {}, el('td', { class: 'shrink' }, file.role), el('td', {}, filePath(file.path, host)), el('td', { class: 'hash' }, file.sha256), el('td', { class: 'num' }, formatBytes(file.bytes))),
            ),
          ),
        ];
  return el(
    'table',
    { class: 'hashes' },
    el('thead', {}, el('tr', {}, el('th', {}, 'Role'), el('th', {}, 'Path'), el('th', {}, 'SHA-256'), el('th', { class: 'num' }, 'Size'))),
    ...rows('Inputs', inputs),
    ...rows('Outputs', outputs),
  );
}

function pairsList(entries: [string, string][]): HTMLElement {
  return el('dl', { class: 'pairs' }, ...entries.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
}

export function renderProvenance(report: Report, host: Host | undefined): HTMLElement {
  const p = report.provenance;
  const verified = report.verified;
  const verification = el(
    'div',
    { class: 'verification' },
    verificationStatus(verified),
    verified ? el('span', { class: 'muted small' }, `  checked ${new Date(verified.checkedAt).toLocaleString()}`) : el('span', { class: 'muted small' }, '  run `lethe verify` to recheck the hashes'),
    verified && !verified.ok ? el('ul', { class: 'mismatches' }, ...verified.mismatches.map((m) => el('li', {}, m))) : null,
  );
  const log = el('vscode-collapsible', { heading: `Log (${report.log.length} lines)` }, el('pre', { class: 'log' }, report.log.join('\n')));
  return section(
    'provenance',
    'Provenance',
    verification,
    el(
      'div',
      { class: 'facts' },
      el('div', { class: 'fact-group' }, el('h3', {}, 'Versions'), pairsList([['Lethe', p.lethe], ['Node', p.node], ['onnxruntime', p.onnxruntime], ['Platform', p.platform], ['Created', p.createdAt]])),
      el('div', { class: 'fact-group' }, el('h3', {}, 'Run'), pairsList([['Method', p.method], ['Seed', String(p.seed)], ...Object.entries(p.params).map(([k, v]): [string, string] => [k, formatParam(v)])])),
      el('div', { class: 'fact-group' }, el('h3', {}, 'Timings'), pairsList(Object.entries(p.timings).map(([k, v]): [string, string] => [k, formatSeconds(v)]))),
    ),
    hashTable(p.inputs, p.outputs, host),
    log,
  );
}
