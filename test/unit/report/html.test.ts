import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { javascriptForScriptElement, jsonForScriptElement, loadWebviewBundle, renderReportHtml } from '../../../src/engine/report/html';
import type { Report } from '../../../src/engine/contracts/report';
import { EMBEDDED_REPORT_ELEMENT_ID } from '../../../src/engine/contracts/reportHtml';
import { buildWebviewBundle, loadSampleReport } from './helpers';

const HOSTILE = '</script><script>alert(1)</script><!--<script>';

function scriptTags(html: string): string[] {
  return [...html.matchAll(/<script\b[^>]*>/gi)].map((m) => m[0]);
}

function cspOf(html: string): string {
  const match = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html);
  expect(match, 'CSP meta tag').not.toBeNull();
  return match![1].replace(/&#39;/g, "'");
}

function embeddedJson(html: string): unknown {
  const match = new RegExp(`<script type="application/json" id="${EMBEDDED_REPORT_ELEMENT_ID}">([\\s\\S]*?)</script>`).exec(html);
  expect(match, 'embedded report').not.toBeNull();
  return JSON.parse(match![1]);
}

/** The page with the inlined app code cut out: what is left is markup, CSP and data. */
function withoutAppCode(html: string): string {
  return html.replace(/(<script nonce="[^"]+">)[\s\S]*?(<\/script>)/, '$1$2');
}

describe('renderReportHtml', () => {
  let bundle: string;
  let sample: Report;
  beforeAll(async () => {
    bundle = await buildWebviewBundle();
    sample = loadSampleReport();
  });

  it('loads nothing from outside the file', () => {
    // The development build ends with a source map comment naming a file that is not exported.
    const html = renderReportHtml(sample, `${bundle}\n//# sourceMappingURL=webview.js.map\n`);
    const page = withoutAppCode(html);
    expect(page).not.toMatch(/:\/\//);
    expect(page).not.toMatch(/\b(src|href|srcset|action)\s*=/i);
    expect(page).not.toMatch(/<(link|iframe|object|embed|base|img)\b/i);
    expect(html).not.toMatch(/sourceMappingURL/);
    expect(html).not.toMatch(/@import|url\(\s*['"]?https?:/i);
    expect(cspOf(html)).toMatch(/^default-src 'none';/);
  });

  it('runs only scripts carrying the nonce of its CSP, which allows nothing unsafe', () => {
    const html = renderReportHtml(sample, bundle);
    const csp = cspOf(html);
    const nonce = /script-src 'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*|https?:/);
    const executable = scriptTags(html).filter((tag) => !tag.includes('type="application/json"'));
    expect(executable).toEqual([`<script nonce="${nonce}">`]);
    // A fresh nonce per file.
    expect(cspOf(renderReportHtml(sample, bundle))).not.toBe(csp);
  });

  it('embeds the report so that it reads back identical', () => {
    expect(embeddedJson(renderReportHtml(sample, bundle))).toEqual(sample);
  });

  it('keeps hostile report strings inside the data element', () => {
    const hostile: Report = {
      ...sample,
      name: `${HOSTILE} line\u2028separator\u2029`,
      method: { ...sample.method!, params: { ...sample.method!.params, note: HOSTILE } },
      log: [HOSTILE],
    };
    const html = renderReportHtml(hostile, bundle);
    expect(scriptTags(html)).toHaveLength(2);
    expect(html.match(/<\/script/gi)).toHaveLength(2);
    expect(html).not.toMatch(/<!--/);
    expect(withoutAppCode(html).split(`id="${EMBEDDED_REPORT_ELEMENT_ID}">`)[1]).not.toMatch(/[\u2028\u2029]/);
    expect(html).toContain(`<title>&#60;/script&#62;&#60;script&#62;alert(1)`);
    expect(embeddedJson(html)).toEqual(hostile);
  });

  it('keeps script-closing text inside the app code from ending its element', () => {
    const html = renderReportHtml(sample, 'const a = "</script><script>alert(1)//"; const b = /<!--/; const c = `</SCRIPT >`;');
    expect(html.match(/<\/script/gi)).toHaveLength(2);
    expect(html).not.toMatch(/<!--/);
    // What the browser gets is still the same program.
    const js = javascriptForScriptElement('const a = "</script>" + `</Script>`; const b = /^<!--$/u; const c = "<!--";');
    const [a, b, c] = new Function(`${js}; return [a, b, c];`)() as [string, RegExp, string];
    expect([a, b.test('<!--'), c]).toEqual(['</script></Script>', true, '<!--']);
  });
});

describe('jsonForScriptElement', () => {
  it('escapes <, >, & and the line separators, and parses back to the same value', () => {
    const value = { s: '</script><!-- & \u2028\u2029 >' };
    const text = jsonForScriptElement(value);
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe('loadWebviewBundle', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'lethe-bundle-'));
    await mkdir(join(root, 'dist'), { recursive: true });
    await mkdir(join(root, 'src', 'engine', 'report'), { recursive: true });
    await writeFile(join(root, 'dist', 'webview.js'), 'bundle();');
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('finds dist/webview.js beside a running bundle and from a source folder below the root', async () => {
    await expect(loadWebviewBundle(join(root, 'dist'))).resolves.toBe('bundle();');
    await expect(loadWebviewBundle(join(root, 'src', 'engine', 'report'))).resolves.toBe('bundle();');
  });

  it('says how to build it when it is missing', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'lethe-nobundle-'));
    try {
      await expect(loadWebviewBundle(empty)).rejects.toThrow(/dist\/webview\.js was not found.*npm run build/);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
