/** The panel's page: the report app loaded from the extension's `dist/`, under a nonce CSP. */
import { contentSecurityPolicy, escapeHtml, reportDocument } from '../../engine/report/document';

export function panelHtml(options: { nonce: string; cspSource: string; scriptUri: string; title: string }): string {
  return reportDocument({
    csp: contentSecurityPolicy(options.nonce, options.cspSource),
    title: options.title,
    body: `<script nonce="${escapeHtml(options.nonce)}" src="${escapeHtml(options.scriptUri)}"></script>`,
  });
}
