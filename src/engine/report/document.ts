/**
 * The HTML page around the report app, shared by the VS Code panel and the standalone export so
 * both get the same structure and the same Content-Security-Policy rules.
 */
import { randomBytes } from 'node:crypto';

/** A fresh nonce per page: 128 random bits, base64 (valid in a CSP `'nonce-…'` source). */
export function createNonce(): string {
  return randomBytes(16).toString('base64');
}

/**
 * Scripts run only with the page's nonce; nothing else may load. No style sources are needed: the
 * app uses constructed stylesheets and chart.js sets styles through the CSSOM, neither of which
 * CSP restricts. `resourceSource` is the webview's own origin (VS Code's `webview.cspSource`),
 * absent for the self-contained export, where images can only be inline data URIs.
 */
export function contentSecurityPolicy(nonce: string, resourceSource?: string): string {
  const images = resourceSource ? `${resourceSource} data:` : 'data:';
  return [`default-src 'none'`, `script-src 'nonce-${nonce}'`, `img-src ${images}`, `base-uri 'none'`, `form-action 'none'`].join('; ');
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** `body` is trusted markup built by the caller (script tags); everything else is escaped here. */
export function reportDocument(options: { csp: string; title: string; body: string }): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(options.csp)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(options.title)}</title>`,
    '</head>',
    '<body>',
    '<div id="app"></div>',
    options.body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
