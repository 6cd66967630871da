import { describe, expect, it } from 'vitest';
import { createNonce } from '../../../src/engine/report/document';
import { panelHtml } from '../../../src/extension/report/panel-html';

describe('panelHtml (the VS Code panel page)', () => {
  const cspSource = 'https://file+.vscode-resource.vscode-cdn.net';
  const scriptUri = 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js';

  it('loads only the app bundle, with the nonce, under a CSP that allows nothing else', () => {
    const nonce = createNonce();
    const html = panelHtml({ nonce, cspSource, scriptUri, title: 'Report: r' });
    const csp = /content="([^"]+)"/.exec(html)![1].replace(/&#39;/g, "'");
    expect(csp).toBe(`default-src 'none'; script-src 'nonce-${nonce}'; img-src ${cspSource} data:; base-uri 'none'; form-action 'none'`);
    const scripts = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)];
    expect(scripts).toHaveLength(1);
    expect(scripts[0][0]).toBe(`<script nonce="${nonce}" src="${scriptUri}"></script>`);
    expect(html).toContain('<div id="app"></div>');
  });

  it('escapes the title and the script address', () => {
    const html = panelHtml({ nonce: createNonce(), cspSource, scriptUri: `${scriptUri}?a="><script>`, title: '</title><script>alert(1)</script>' });
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).toContain('<title>&#60;/title&#62;&#60;script&#62;alert(1)&#60;/script&#62;</title>');
  });
});
