/** Report title, verification status, the host actions and the in-page table of contents. */
import type { Report } from '../../src/engine/contracts/report';
import { el } from '../dom';
import type { Host } from '../host';

export function verificationStatus(verified: Report['verified']): HTMLElement {
  if (!verified) return el('span', { class: 'status unknown', title: 'Hashes have not been rechecked since the run' }, '○ Not verified');
  if (verified.ok) return el('span', { class: 'status ok', title: `Checked ${verified.checkedAt}` }, '✓ Verified');
  const count = verified.mismatches.length;
  return el('span', { class: 'status failed', title: `Checked ${verified.checkedAt}` }, `✗ ${count} hash ${count === 1 ? 'mismatch' : 'mismatches'}`);
}

function actionButton(label: string, onClick: () => void, secondary = false): HTMLElement {
  const button = el('vscode-button', { secondary });
  button.textContent = label;
  button.addEventListener('click', onClick);
  return button;
}

export function renderHeader(report: Report, host: Host | undefined): HTMLElement {
  const method = report.method ? report.method.title : undefined;
  const title = el(
    'div',
    {},
    el('h1', {}, report.name),
    el(
      'div',
      { class: 'subtitle' },
      report.kind === 'unlearn' ? 'Unlearning report' : 'Audit report',
      method ? ` · ${method}` : '',
      ` · ${new Date(report.createdAt).toLocaleString()}  `,
      verificationStatus(report.verified),
    ),
  );
  const actions = host
    ? el(
        'div',
        { class: 'actions' },
        actionButton('Export HTML…', () => host.post({ type: 'export' })),
        actionButton('Reveal run folder', () => host.post({ type: 'revealRun' }), true),
      )
    : null;
  return el('header', { class: 'report-header' }, title, actions);
}

export function renderTableOfContents(sections: { id: string; title: string }[]): HTMLElement {
  return el('nav', { class: 'toc', 'aria-label': 'Sections' }, ...sections.map((s) => el('a', { href: `#${s.id}` }, s.title)));
}
