/**
 * The report's stylesheet. Applied as a constructed stylesheet (`adoptedStyleSheets`), which a
 * strict CSP does not treat as inline style, so neither the panel nor the export needs
 * `'unsafe-inline'`. Colours come from VS Code's theme variables; the `--fallback-*` values are for
 * the standalone export, which follows the system's light or dark preference.
 */
const css = /* css */ `
:root {
  --fallback-fg: #1f2328; --fallback-muted: #5f6771; --fallback-bg: #ffffff; --fallback-card: #f7f8fa;
  --fallback-border: #d6dae0; --fallback-accent: #0b63c5; --fallback-good: #1a7f37; --fallback-bad: #cf222e;
  --fallback-code: #eef0f3; --fallback-hover: #f0f3f7;
}
@media (prefers-color-scheme: dark) {
  :root {
    --fallback-fg: #d4d4d4; --fallback-muted: #a0a0a0; --fallback-bg: #1e1e1e; --fallback-card: #252526;
    --fallback-border: #3c3c3c; --fallback-accent: #4daafc; --fallback-good: #73c991; --fallback-bad: #f48771;
    --fallback-code: #2d2d2d; --fallback-hover: #2a2d2e;
  }
}
:root {
  --fg: var(--vscode-foreground, var(--fallback-fg));
  --muted: var(--vscode-descriptionForeground, var(--fallback-muted));
  --bg: var(--vscode-editor-background, var(--fallback-bg));
  --card: var(--vscode-editorWidget-background, var(--fallback-card));
  --border: var(--vscode-panel-border, var(--fallback-border));
  --accent: var(--vscode-textLink-foreground, var(--fallback-accent));
  --good: var(--vscode-testing-iconPassed, var(--fallback-good));
  --bad: var(--vscode-errorForeground, var(--fallback-bad));
  --code: var(--vscode-textCodeBlock-background, var(--fallback-code));
  --hover: var(--vscode-list-hoverBackground, var(--fallback-hover));
  --font: var(--vscode-font-family, system-ui, -apple-system, "Segoe UI", Ubuntu, sans-serif);
  --mono: var(--vscode-editor-font-family, ui-monospace, "SF Mono", Menlo, Consolas, monospace);
  color-scheme: light dark;
}
* { box-sizing: border-box; }
body {
  margin: 0; padding: 24px 32px 48px; background: var(--bg); color: var(--fg);
  font-family: var(--font); font-size: var(--vscode-font-size, 13px); line-height: 1.5;
}
main { max-width: 1200px; margin: 0 auto; }
h1 { font-size: 1.7em; font-weight: 600; margin: 0; }
h2 { font-size: 1.25em; font-weight: 600; margin: 0 0 12px; }
h3 { font-size: 1em; font-weight: 600; margin: 0 0 6px; }
p { margin: 0 0 8px; }
code, .mono { font-family: var(--mono); font-size: 0.92em; }
.muted { color: var(--muted); }
.small { font-size: 0.9em; }

header.report-header { display: flex; flex-wrap: wrap; align-items: flex-start; justify-content: space-between; gap: 12px 24px; margin-bottom: 16px; }
.subtitle { color: var(--muted); margin-top: 4px; }
.actions { display: flex; gap: 8px; flex-wrap: wrap; }
nav.toc { display: flex; flex-wrap: wrap; gap: 4px 16px; padding: 8px 0 16px; border-bottom: 1px solid var(--border); margin-bottom: 20px; }
nav.toc a { color: var(--accent); text-decoration: none; }
nav.toc a:hover { text-decoration: underline; }

.card { background: var(--card); border: 1px solid var(--border); border-radius: 6px; padding: 16px 20px; margin-bottom: 20px; }
.intro { color: var(--muted); max-width: 80ch; }

.status { display: inline-flex; align-items: center; gap: 6px; padding: 2px 10px; border-radius: 999px; font-size: 0.9em; font-weight: 600; border: 1px solid currentColor; }
.status.ok { color: var(--good); }
.status.failed { color: var(--bad); }
.status.unknown { color: var(--muted); }

.facts { display: grid; grid-template-columns: repeat(auto-fit, minmax(220px, 1fr)); gap: 16px 24px; }
.fact-group h3 { color: var(--muted); font-size: 0.85em; text-transform: uppercase; letter-spacing: 0.04em; }
dl.pairs { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0; }
dl.pairs dt { color: var(--muted); }
dl.pairs dd { margin: 0; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
.headline { font-size: 1.6em; font-weight: 600; font-variant-numeric: tabular-nums; }

.table-toolbar { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 8px 16px; margin-bottom: 8px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 6px 10px; vertical-align: top; }
thead th { font-weight: 600; border-bottom: 2px solid var(--border); white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.metrics { table-layout: fixed; }
table.metrics col.name { width: 34%; }
table.metrics tbody.metric tr.values th { font-weight: 600; border-top: 1px solid var(--border); }
table.metrics tbody.metric tr.values td { border-top: 1px solid var(--border); }
table.metrics tbody.metric:hover { background: var(--hover); }
table.metrics tr.definition td { padding-top: 0; padding-bottom: 10px; color: var(--muted); font-size: 0.92em; }
table.metrics tr.definition .target { color: var(--fg); }
table.metrics tbody.group th { padding-top: 18px; font-size: 0.85em; text-transform: uppercase; letter-spacing: 0.05em; color: var(--muted); border-bottom: 1px solid var(--border); }
td.role-reference { background: color-mix(in srgb, var(--good) 7%, transparent); }
.verdict { display: block; font-size: 0.85em; font-weight: 600; }
td.better { color: var(--good); }
td.worse { color: var(--bad); }
table.metrics.differences-only tbody[data-differs="false"] { display: none; }
table.metrics.differences-only tbody.group[data-any-differs="false"] { display: none; }
.empty-note { display: none; padding: 12px 10px; color: var(--muted); }
table.metrics.differences-only.all-equal + .empty-note { display: block; }

.chart-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 20px 24px; }
.chart-grid.wide { grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); }
.chart { position: relative; height: 240px; }
.chart-small { height: 160px; }
figure { margin: 0; }
figcaption { margin-bottom: 6px; }

.attribution { display: grid; grid-template-columns: repeat(auto-fit, minmax(340px, 1fr)); gap: 12px 24px; margin-top: 10px; }
.attribution-target { display: flex; align-items: center; gap: 12px; margin: 16px 0 4px; padding-top: 12px; border-top: 1px solid var(--border); }
.attribution-target:first-of-type { border-top: 0; padding-top: 0; }
table.ranked td { border-top: 1px solid var(--border); }
tr.dropped td { color: var(--muted); text-decoration: line-through; }
.tag { display: inline-block; font-size: 0.8em; font-weight: 600; padding: 0 6px; border-radius: 4px; margin-left: 6px; background: var(--code); color: var(--fg); text-decoration: none; }
img.thumb { width: 32px; height: 32px; image-rendering: pixelated; border-radius: 3px; border: 1px solid var(--border); display: block; }
img.thumb.large { width: 48px; height: 48px; }

.hash { font-family: var(--mono); font-size: 0.85em; overflow-wrap: anywhere; }
button.link { background: none; border: 0; padding: 0; color: var(--accent); cursor: pointer; font: inherit; text-align: left; overflow-wrap: anywhere; }
button.link:hover { text-decoration: underline; }
button.link:focus-visible { outline: 1px solid var(--vscode-focusBorder, var(--accent)); outline-offset: 2px; }
pre.log { max-height: 320px; overflow: auto; background: var(--code); padding: 10px 12px; border-radius: 4px; font-family: var(--mono); font-size: 0.85em; margin: 0; white-space: pre-wrap; }
.mismatches { color: var(--bad); margin: 6px 0 0; }
vscode-collapsible { margin-top: 12px; }
.message { padding: 48px 0; text-align: center; color: var(--muted); }
@media print { nav.toc, .actions, .table-toolbar vscode-checkbox { display: none; } .card { break-inside: avoid; } }
`;

export function applyStyles(): void {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}
