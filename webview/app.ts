/** Renders a whole report into the page, section by section. */
import type { Report } from '../src/engine/contracts/report';
import { clearCharts, drawCharts } from './charts';
import { el } from './dom';
import type { Host } from './host';
import { renderAttribution } from './sections/attribution';
import { renderHeader, renderTableOfContents } from './sections/header';
import { renderHistograms } from './sections/histograms';
import { renderMetrics } from './sections/metrics';
import { renderMia } from './sections/mia';
import { renderPerClass } from './sections/per-class';
import { renderProvenance } from './sections/provenance';
import { renderSummary } from './sections/summary';
import { renderVerdict } from './sections/verdict';

export interface ViewOptions {
  differencesOnly: boolean;
  onDifferencesOnlyChange(differencesOnly: boolean): void;
}

export function renderReport(root: HTMLElement, report: Report, host: Host | undefined, options: ViewOptions): void {
  clearCharts();
  const sections = [
    renderVerdict(report),
    renderSummary(report, host),
    renderMetrics(report, options.differencesOnly, options.onDifferencesOnlyChange),
    renderMia(report),
    renderPerClass(report),
    renderHistograms(report),
    renderAttribution(report),
    renderProvenance(report, host),
  ].filter((s): s is HTMLElement => s !== undefined);
  const contents = sections.map((s) => ({ id: s.id, title: s.querySelector('h2')?.textContent ?? s.id }));
  root.replaceChildren(el('main', {}, renderHeader(report, host), renderTableOfContents(contents), ...sections));
  document.title = `${report.name} · Lethe report`;
  drawCharts();
}

export function renderMessage(root: HTMLElement, message: string): void {
  clearCharts();
  root.replaceChildren(el('main', {}, el('p', { class: 'message' }, message)));
}
