/**
 * The model overview page: graph summary, parameters, lineage and actions. Everything from the model
 * file is escaped; scripts and styles run only with the per-load nonce (CSP `default-src 'none'`).
 * No vscode import, so it renders the same in tests.
 */
import type { ModelSummary } from '../../engine/onnx/summary';
import { formatCount } from '../models/format';

export interface OverviewInput {
  title: string;
  /** Workspace-relative path for display. */
  location: string;
  bytes: number;
  summary?: ModelSummary;
  problem?: string;
  derived: { name: string; role: string; method?: string }[];
  parent?: string;
  /** Trusted workspace: the audit/unlearn buttons are enabled. */
  canRun: boolean;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

export function renderOverview(o: OverviewInput, nonce: string): string {
  const e = escapeHtml;
  const s = o.summary;
  const csp = `default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}';`;
  const disabled = o.canRun ? '' : ' disabled title="Requires a trusted workspace"';
  const io = (rows: ModelSummary['inputs']) =>
    rows.map((v) => `<tr><td>${e(v.name)}</td><td>${e(v.elemType)}</td><td>[${e(v.shape.join(', '))}]</td></tr>`).join('');
  const opCounts = new Map<string, { count: number; params: number }>();
  for (const l of s?.layers ?? []) {
    const c = opCounts.get(l.op) ?? { count: 0, params: 0 };
    opCounts.set(l.op, { count: c.count + 1, params: c.params + l.params });
  }
  const meta = Object.entries(s?.metadata ?? {});
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${e(o.title)}</title>
<style nonce="${nonce}">
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 0 20px 20px; }
h1 { font-size: 1.4em; margin-bottom: 0; } .sub { color: var(--vscode-descriptionForeground); margin-top: 4px; }
table { border-collapse: collapse; margin: 8px 0 18px; min-width: 50%; }
th, td { text-align: left; padding: 3px 12px 3px 0; border-bottom: 1px solid var(--vscode-widget-border, #8884); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.actions { margin: 14px 0; display: flex; gap: 8px; }
button { background: var(--vscode-button-background); color: var(--vscode-button-foreground); border: none; padding: 6px 14px; cursor: pointer; }
button:hover:not([disabled]) { background: var(--vscode-button-hoverBackground); } button[disabled] { opacity: .5; cursor: default; }
.problem { color: var(--vscode-errorForeground); } .cards { display: flex; gap: 24px; margin: 12px 0; }
.card b { display: block; font-size: 1.3em; }
</style></head>
<body>
<h1 id="title">${e(o.title)}</h1>
<div class="sub">${e(o.location)} · ${e(s ? s.format.toUpperCase() : '')} · ${(o.bytes / 1024).toFixed(0)} KB${s?.producer ? ` · ${e(s.producer)}` : ''}${s ? ` · opset ${s.opset}` : ''}</div>
<div class="actions">
  <button id="audit" data-action="audit"${disabled}>Audit…</button>
  <button id="unlearn" data-action="unlearn"${disabled}>Unlearn…</button>
  <button id="compare" data-action="compare"${o.parent ? '' : ' disabled title="Not derived from another model"'}>Compare with original</button>
</div>
${o.problem ? `<p class="problem" id="problem">${e(o.problem)}</p>` : ''}
${
  s
    ? `<div class="cards"><div class="card"><b id="total-params">${formatCount(s.totalParams)}</b>parameters</div><div class="card"><b>${s.layers.length}</b>nodes</div><div class="card"><b>${opCounts.size}</b>op types</div></div>
<h2>Inputs</h2><table id="inputs"><tr><th>Name</th><th>Type</th><th>Shape</th></tr>${io(s.inputs)}</table>
<h2>Outputs</h2><table id="outputs"><tr><th>Name</th><th>Type</th><th>Shape</th></tr>${io(s.outputs)}</table>
<h2>Graph summary</h2><table id="ops"><tr><th>Op</th><th class="num">Nodes</th><th class="num">Parameters</th></tr>${[...opCounts]
        .map(([op, c]) => `<tr><td>${e(op)}</td><td class="num">${c.count}</td><td class="num">${c.params.toLocaleString('en-US')}</td></tr>`)
        .join('')}</table>
<h2>Layers</h2><table id="layers"><tr><th>Name</th><th>Op</th><th class="num">Parameters</th></tr>${s.layers
        .map((l) => `<tr><td>${e(l.name)}</td><td>${e(l.op)}</td><td class="num">${l.params.toLocaleString('en-US')}</td></tr>`)
        .join('')}</table>`
    : ''
}
<h2>Lineage</h2>
<table id="lineage">
${o.parent ? `<tr><th>Derived from</th><td>${e(o.parent)}</td></tr>` : '<tr><th>Original</th><td>not derived from another model</td></tr>'}
${o.derived.map((d) => `<tr><th>${e(d.role)}${d.method ? ` (${e(d.method)})` : ''}</th><td>${e(d.name)}</td></tr>`).join('')}
</table>
${meta.length ? `<h2>Metadata</h2><table id="metadata">${meta.map(([k, v]) => `<tr><th>${e(k)}</th><td>${e(v)}</td></tr>`).join('')}</table>` : ''}
<script nonce="${nonce}">
const vscode = acquireVsCodeApi();
for (const b of document.querySelectorAll('button[data-action]')) b.addEventListener('click', () => vscode.postMessage({ action: b.dataset.action }));
</script>
</body></html>`;
}
