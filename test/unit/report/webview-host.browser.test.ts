/**
 * The report app as it runs in the VS Code panel: the panel's page and CSP, a stand-in for
 * `acquireVsCodeApi` (message log + state kept across reloads), and the protocol both ways.
 * Every message the app sends must pass the host's validator.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNonce } from '../../../src/engine/report/document';
import type { Report } from '../../../src/engine/contracts/report';
import { panelHtml } from '../../../src/extension/report/panel-html';
import { parseWebviewMessage } from '../../../src/extension/report/webviewMessages';
import type { HostToWebview } from '../../../webview/protocol';
import { cspViolations, launchChromium, watchPage, type PageProblems } from './browser';
import { buildWebviewBundle, loadSampleReport } from './helpers';

const REPORT_PATH = '/home/u/project/lethe-runs/2026-11-25T10-42-07-forget-tshirts/report.json';

/**
 * What VS Code gives a webview: postMessage to the host, and state that outlives a reload of the page.
 * sessionStorage stands in for the host's memory; it is read when the app asks for the API, after every
 * init script, so a reload can hand it over (see reloadKeepingHostMemory).
 */
function installFakeVsCodeApi(): void {
  const w = window as unknown as { sent?: unknown[]; acquireVsCodeApi: () => unknown };
  w.acquireVsCodeApi = () => {
    const sent: unknown[] = JSON.parse(sessionStorage.getItem('sent') ?? '[]');
    w.sent = sent;
    return {
      postMessage: (message: unknown) => {
        sent.push(message);
        sessionStorage.setItem('sent', JSON.stringify(sent));
      },
      getState: () => JSON.parse(sessionStorage.getItem('state') ?? 'null'),
      setState: (state: unknown) => sessionStorage.setItem('state', JSON.stringify(state)),
    };
  };
}

describe('report app inside the VS Code panel page', () => {
  let browser: Browser;
  let dir: string;
  let page: Page;
  let problems: PageProblems;
  let report: Report;

  const sent = () => page.evaluate(() => (window as unknown as { sent: unknown[] }).sent);
  const state = () => page.evaluate(() => JSON.parse(sessionStorage.getItem('state') ?? 'null') as unknown);
  const hostSends = (message: HostToWebview) => page.evaluate((m) => window.postMessage(m, '*'), message);
  const waitForReady = (count: number) =>
    page.waitForFunction((n) => ((window as unknown as { sent?: { type: string }[] }).sent ?? []).filter((m) => m.type === 'ready').length === n, count);
  /**
   * VS Code keeps a webview's messages and state in the host, outside the page. Chromium commits
   * sessionStorage writes to its browser process asynchronously and, under load, a reload has lost the
   * last ones; so the reload carries a copy taken from the page, restored before the app starts.
   */
  const reloadKeepingHostMemory = async () => {
    const memory = await page.evaluate(() => ({ sent: sessionStorage.getItem('sent'), state: sessionStorage.getItem('state') }));
    await page.addInitScript((m) => {
      if (m.sent !== null) sessionStorage.setItem('sent', m.sent);
      if (m.state !== null) sessionStorage.setItem('state', m.state);
    }, memory);
    await page.reload({ waitUntil: 'domcontentloaded' });
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lethe-panel-'));
    const scriptPath = join(dir, 'webview.js');
    await writeFile(scriptPath, await buildWebviewBundle());
    const scriptUri = pathToFileURL(scriptPath).href;
    const pagePath = join(dir, 'panel.html');
    // `file:` stands in for the webview's resource origin (webview.cspSource in VS Code).
    await writeFile(pagePath, panelHtml({ nonce: createNonce(), cspSource: 'file:', scriptUri, title: 'Report' }));
    report = loadSampleReport();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    problems = await watchPage(page, [pathToFileURL(pagePath).href, scriptUri]);
    await page.addInitScript(installFakeVsCodeApi);
    await page.goto(pathToFileURL(pagePath).href);
  });

  afterAll(async () => {
    await browser?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('says ready, waits for the report and then renders it', async () => {
    await waitForReady(1);
    expect(await page.locator('.message').textContent()).toBe('Loading report…');
    await hostSends({ type: 'report', report, reportPath: REPORT_PATH });
    await page.waitForSelector('#metrics table.metrics');
    expect(await page.locator('h1').textContent()).toBe(report.name);
    expect(await page.locator('canvas').count()).toBeGreaterThan(0);
    expect(await state()).toEqual({ reportPath: REPORT_PATH, differencesOnly: false });
  });

  it('ignores messages that are not a report', async () => {
    await page.evaluate(() => window.postMessage({ type: 'report', report: null, reportPath: 1 }, '*'));
    await page.evaluate(() => window.postMessage('<img src=x onerror=alert(1)>', '*'));
    expect(await page.locator('h1').textContent()).toBe(report.name);
  });

  it('asks the host to export, reveal the run and open files the report names', async () => {
    await page.locator('vscode-button', { hasText: 'Export HTML' }).click();
    await page.locator('vscode-button', { hasText: 'Reveal run folder' }).click();
    await page.locator('#summary button.link', { hasText: 'models/fmnist-mlp.onnx' }).click();
    await page.locator('#provenance button.link', { hasText: 'forget/tshirts.forget.json' }).click();
    const messages = (await sent()).slice(-4);
    expect(messages).toEqual([
      { type: 'export' },
      { type: 'revealRun' },
      { type: 'openFile', path: 'models/fmnist-mlp.onnx' },
      { type: 'openFile', path: 'forget/tshirts.forget.json' },
    ]);
  });

  it('keeps the "differences only" toggle across a reload of the page', async () => {
    await page.locator('#differences-only').click();
    expect(await state()).toEqual({ reportPath: REPORT_PATH, differencesOnly: true });
    await reloadKeepingHostMemory();
    await waitForReady(2);
    await hostSends({ type: 'report', report, reportPath: REPORT_PATH });
    await page.waitForSelector('#metrics table.metrics');
    expect(await page.locator('#differences-only').evaluate((el) => (el as HTMLElement & { checked: boolean }).checked)).toBe(true);
    expect(await page.locator('tbody[data-metric="klom.validation.p95"] tr.values').isVisible()).toBe(false);
    expect(await page.locator('tbody[data-metric="acc.forget"] tr.values').isVisible()).toBe(true);
  });

  it('shows a changed report file in place, keeping the toggle', async () => {
    const verified: Report = { ...report, verified: { ok: false, checkedAt: '2026-11-25T12:00:00.000Z', mismatches: ['model.out: sha256 differs'] } };
    await hostSends({ type: 'report', report: verified, reportPath: REPORT_PATH });
    await page.waitForSelector('.status.failed');
    expect(await page.locator('.mismatches').textContent()).toBe('model.out: sha256 differs');
    expect(await state()).toEqual({ reportPath: REPORT_PATH, differencesOnly: true });
  });

  it('sent only messages the host accepts, and broke no rule of the panel CSP', async () => {
    const messages = await sent();
    expect(messages.length).toBeGreaterThanOrEqual(6);
    for (const message of messages) expect(parseWebviewMessage(message), JSON.stringify(message)).toEqual(message);
    expect(await cspViolations(page)).toEqual([]);
    expect(problems.errors).toEqual([]);
    expect(problems.requests).toEqual([]);
    expect(problems.dialogs).toEqual([]);
  });
});
