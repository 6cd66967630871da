/**
 * The report's stylesheet. Applied as a constructed stylesheet (`adoptedStyleSheets`), which a
 * strict CSP does not treat as inline style, so neither the panel nor the export needs
 * `'unsafe-inline'`. Colours come from VS Code's theme variables; in the standalone export
 * (`standalone` class on the root) the stylesheet defines them, following the system's light or
 * dark preference.
 */
const css = /* css */ `
/* Outside VS Code (the HTML export) nothing defines the theme variables; define the few the report
   and its @vscode-elements use, after VS Code's Light Modern and Dark Modern themes. */
:root.standalone {
  --vscode-font-family: system-ui, -apple-system, "Segoe UI", Ubuntu, sans-serif;
  --vscode-font-size: 13px;
  --vscode-editor-font-family: ui-monospace, "SF Mono", Menlo, Consolas, "DejaVu Sans Mono", monospace;
  --vscode-foreground: #1f2328; --vscode-descriptionForeground: #5f6771; --vscode-editor-background: #ffffff;
  --vscode-editorWidget-background: #f7f8fa; --vscode-panel-border: #d6dae0; --vscode-textLink-foreground: #005fb8;
  --vscode-errorForeground: #c72e2e; --vscode-textCodeBlock-background: #eef0f3;
  --vscode-list-hoverBackground: #f0f3f7; --vscode-focusBorder: #005fb8;
  --vscode-charts-foreground: #1f2328; --vscode-charts-lines: rgba(31, 35, 40, 0.12);
  --vscode-charts-blue: #1a85ff; --vscode-charts-orange: #d18616; --vscode-charts-green: #2f7d2b;
  --vscode-charts-red: #e51400; --vscode-charts-purple: #652d90;
  --vscode-button-background: #005fb8; --vscode-button-foreground: #ffffff; --vscode-button-hoverBackground: #0258a8;
  --vscode-button-secondaryBackground: #e5e5e5; --vscode-button-secondaryForeground: #3b3b3b; --vscode-button-secondaryHoverBackground: #cccccc;
  --vscode-settings-checkboxBackground: #f8f8f8; --vscode-settings-checkboxBorder: #cecece; --vscode-settings-checkboxForeground: #1f1f1f;
  --vscode-sideBarSectionHeader-background: #eef0f3; --vscode-sideBarTitle-foreground: #3b3b3b; --vscode-icon-foreground: #3b3b3b;
}
@media (prefers-color-scheme: dark) {
  :root.standalone {
    --vscode-foreground: #cccccc; --vscode-descriptionForeground: #9d9d9d; --vscode-editor-background: #1f1f1f;
    --vscode-editorWidget-background: #252526; --vscode-panel-border: #3c3c3c; --vscode-textLink-foreground: #4daafc;
    --vscode-errorForeground: #f48771; --vscode-textCodeBlock-background: #2b2b2b;
    --vscode-list-hoverBackground: #2a2d2e; --vscode-focusBorder: #0078d4;
    --vscode-charts-foreground: #cccccc; --vscode-charts-lines: rgba(204, 204, 204, 0.16);
    --vscode-charts-blue: #3794ff; --vscode-charts-orange: #d18616; --vscode-charts-green: #89d185;
    --vscode-charts-red: #f14c4c; --vscode-charts-purple: #b180d7;
    --vscode-button-background: #0078d4; --vscode-button-foreground: #ffffff; --vscode-button-hoverBackground: #026ec1;
    --vscode-button-secondaryBackground: #313131; --vscode-button-secondaryForeground: #cccccc; --vscode-button-secondaryHoverBackground: #3c3c3c;
    --vscode-settings-checkboxBackground: #313131; --vscode-settings-checkboxBorder: #3c3c3c; --vscode-settings-checkboxForeground: #cccccc;
    --vscode-sideBarSectionHeader-background: #2b2b2b; --vscode-sideBarTitle-foreground: #cccccc; --vscode-icon-foreground: #cccccc;
  }
}
:root {
  --fg: var(--vscode-foreground);
  --muted: var(--vscode-descriptionForeground);
  --bg: var(--vscode-editor-background);
  --card: var(--vscode-editorWidget-background);
  --border: var(--vscode-panel-border, rgba(128, 128, 128, 0.35));
  --accent: var(--vscode-textLink-foreground);
  --good: var(--vscode-charts-green);
  --bad: var(--vscode-errorForeground);
  --code: var(--vscode-textCodeBlock-background);
  --hover: var(--vscode-list-hoverBackground);
  --font: var(--vscode-font-family);
  --mono: var(--vscode-editor-font-family, monospace);
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
.citation { margin: 2px 0 8px; }
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
.mark { display: block; font-size: 0.85em; font-weight: 600; }
td.better { color: var(--good); }
td.worse { color: var(--bad); }
td.within-noise .mark, td.unjudged .mark { color: var(--muted); font-weight: normal; }

#verdict .verdict-line { font-size: 1.1em; font-weight: 600; }
#verdict .weaker { display: inline-block; padding: 2px 10px; border-radius: 4px; border: 1px solid var(--muted); color: var(--muted); font-weight: 600; }
.judgements { display: grid; gap: 16px; margin: 12px 0; }
table.evidence td { border-top: 1px solid var(--border); }
ul.notes { margin: 6px 0 0; padding-left: 20px; }
table.metrics.differences-only tbody[data-differs="false"] { display: none; }
table.metrics.differences-only tbody.group[data-any-differs="false"] { display: none; }
.empty-note { display: none; padding: 12px 10px; color: var(--muted); }
table.metrics.differences-only.all-equal + .empty-note { display: block; }

.chart-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 20px 24px; }
.chart-grid.wide { grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); }
.chart { position: relative; height: 240px; }
.chart-small { height: 160px; }
figure { margin: 0; display: flex; flex-direction: column; }
figure > .chart { margin-top: auto; }
figcaption { margin-bottom: 6px; }

.attribution { display: grid; grid-template-columns: repeat(auto-fit, minmax(340px, 1fr)); gap: 12px 24px; margin-top: 10px; }
.attribution-target { display: flex; align-items: center; gap: 12px; margin: 16px 0 4px; padding-top: 12px; border-top: 1px solid var(--border); }
.attribution-target:first-of-type { border-top: 0; padding-top: 0; }
table.ranked td { border-top: 1px solid var(--border); }
th.shrink, td.shrink { width: 1%; white-space: nowrap; }
tr.dropped td { color: var(--muted); }
tr.dropped code { text-decoration: line-through; }
.tag { display: inline-block; font-size: 0.8em; font-weight: 600; padding: 0 6px; border-radius: 4px; margin-left: 6px; background: var(--code); color: var(--fg); text-decoration: none; }
img.thumb { width: 32px; height: 32px; image-rendering: pixelated; border-radius: 3px; border: 1px solid var(--border); display: block; }
img.thumb.large { width: 48px; height: 48px; }

table.hashes { margin-top: 16px; }
table.hashes tbody.direction th { padding-top: 14px; font-size: 0.85em; text-transform: uppercase; letter-spacing: 0.05em; color: var(--muted); border-bottom: 1px solid var(--border); }
table.hashes tbody.files td { border-top: 1px solid var(--border); }
.verification { margin-bottom: 14px; }
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

export function applyStyles(standalone: boolean): void {
  document.documentElement.classList.toggle('standalone', standalone);
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}
