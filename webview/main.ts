/**
 * Entry point of the report app. Two ways in:
 * - standalone HTML export: the report is embedded in `<script type="application/json" id="lethe-report">`;
 * - VS Code webview: the app says `ready` and the host answers with the report.
 */
import type { Report } from '../src/engine/contracts/report';
import { renderMessage, renderReport } from './app';
import { drawCharts } from './charts';
import './elements';
import { connectToHost, type Host } from './host';
import { EMBEDDED_REPORT_ELEMENT_ID } from '../src/engine/contracts/reportHtml';
import { isHostToWebview } from './protocol';
import { applyStyles } from './styles';

function embeddedReport(): Report | undefined {
  const text = document.getElementById(EMBEDDED_REPORT_ELEMENT_ID)?.textContent;
  return text ? (JSON.parse(text) as Report) : undefined;
}

/** Charts paint with colours read once, so repaint when VS Code (body class) or the OS switches theme. */
function redrawOnThemeChange(): void {
  new MutationObserver(() => drawCharts()).observe(document.body, { attributes: true, attributeFilter: ['class'] });
  window.matchMedia?.('(prefers-color-scheme: dark)').addEventListener('change', () => drawCharts());
}

function runInVsCode(root: HTMLElement, host: Host): void {
  renderMessage(root, 'Loading report…');
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    if (!isHostToWebview(event.data)) return;
    const { report, reportPath } = event.data;
    // The toggle survives the panel being hidden (the page reloads) and the report file changing.
    const saved = host.savedState();
    const differencesOnly = saved?.reportPath === reportPath && saved.differencesOnly;
    host.saveState({ reportPath, differencesOnly });
    renderReport(root, report, host, {
      differencesOnly,
      onDifferencesOnlyChange: (on) => host.saveState({ reportPath, differencesOnly: on }),
    });
  });
  host.post({ type: 'ready' });
}

function start(): void {
  const host = connectToHost();
  applyStyles(host === undefined);
  redrawOnThemeChange();
  const root = document.getElementById('app') ?? document.body;
  if (host) return runInVsCode(root, host);
  try {
    const report = embeddedReport();
    if (report) renderReport(root, report, undefined, { differencesOnly: false, onDifferencesOnlyChange: () => undefined });
    else renderMessage(root, 'This page has no report data.');
  } catch (error) {
    renderMessage(root, `This report could not be shown: ${(error as Error).message}`);
  }
}

start();
