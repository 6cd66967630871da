/**
 * The self-contained `report.html`: the report app's bundle and the report JSON inlined into one
 * file that opens in any browser, offline, with a strict CSP. No vscode import: the engine writes
 * this file into every run folder, and the extension's "Export HTML" uses the same function.
 */
import { access, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { contentSecurityPolicy, createNonce, reportDocument } from './document';
import { EMBEDDED_REPORT_ELEMENT_ID } from '../contracts/reportHtml';
import type { Report } from '../contracts/report';

/**
 * JSON that can sit inside a `<script>` element: `<`, `>` and `&` become `\u003c` etc., so no
 * `</script` or `<!--` can appear, and U+2028/U+2029 are escaped for older JavaScript parsers.
 * JSON.parse reads the result back unchanged.
 */
export function jsonForScriptElement(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * JavaScript that can sit inside a `<script>` element. `</script` only occurs inside string,
 * template or regex literals in a bundle, where `<\/script` means the same. `<!--` would switch the
 * HTML parser into its "escaped" script state, so the same trick applies. The source map comment
 * is dropped: it names a file that does not travel with the export.
 */
export function javascriptForScriptElement(js: string): string {
  return js
    .replace(/^\/\/# sourceMappingURL=.*$/gm, '')
    .replace(/<\/(script)/gi, '<\\/$1')
    .replace(/<!--/g, '<\\x21--');
}

export function renderReportHtml(report: Report, webviewJs: string): string {
  const nonce = createNonce();
  const body = [
    `<script type="application/json" id="${EMBEDDED_REPORT_ELEMENT_ID}">${jsonForScriptElement(report)}</script>`,
    `<script nonce="${nonce}">${javascriptForScriptElement(webviewJs)}</script>`,
  ].join('\n');
  return reportDocument({ csp: contentSecurityPolicy(nonce), title: `${report.name} · Lethe report`, body });
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/**
 * Where `dist/webview.js` may be: beside the running bundle (`dist/cli.js`, `dist/extension.js`
 * all live in `dist/`), or in a `dist/` folder of any ancestor (the repository root when running
 * from source, e.g. under vitest).
 */
export function webviewBundleCandidates(fromDir: string): string[] {
  const candidates = [join(fromDir, 'webview.js')];
  for (let dir = fromDir; ; dir = dirname(dir)) {
    candidates.push(join(dir, 'dist', 'webview.js'));
    if (dirname(dir) === dir) return candidates;
  }
}

export async function loadWebviewBundle(fromDir: string = __dirname): Promise<string> {
  const candidates = webviewBundleCandidates(fromDir);
  for (const candidate of candidates) {
    if (await exists(candidate)) return readFile(candidate, 'utf8');
  }
  throw new Error(`The report viewer bundle dist/webview.js was not found near ${fromDir}. Run \`npm run build\` first.`);
}
