/**
 * The exported report.html in a real headless Chromium: it renders offline under its own CSP,
 * shows every metric with its definition, draws its charts, and the "differences only" toggle works.
 * Saves a screenshot to __screenshots__/report.png for a human look.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReportHtml } from '../../../src/engine/report/html';
import type { Report } from '../../../src/engine/contracts/report';
import { cspViolations, launchChromium, paintedShare, watchPage, type PageProblems } from './browser';
import { buildWebviewBundle, fashionMnistThumbnail, loadSampleReport } from './helpers';

/** The sample with real Fashion-MNIST thumbnails on the attribution entries, plus one that must be ignored. */
function sampleWithThumbnails(): Report {
  const report = loadSampleReport();
  const index = (id: string) => Number(id.split(':')[1]);
  for (const entry of report.attribution ?? []) {
    Object.assign(entry.target, { thumbnail: fashionMnistThumbnail('t10k', index(entry.target.id)) });
    for (const row of [...entry.before, ...entry.after]) Object.assign(row, { thumbnail: fashionMnistThumbnail('train', index(row.id)) });
  }
  Object.assign(report.attribution![1].after[0], { thumbnail: 'https://example.invalid/tracker.png' });
  return report;
}

async function openReport(browser: Browser, dir: string, name: string, report: Report, bundle: string): Promise<{ page: Page; problems: PageProblems }> {
  const file = join(dir, name);
  await writeFile(file, renderReportHtml(report, bundle));
  const url = pathToFileURL(file).href;
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
  const problems = await watchPage(page, [url]);
  await page.goto(url);
  await page.waitForSelector('#metrics table.metrics');
  return { page, problems };
}

describe('exported report.html in headless Chromium', () => {
  let browser: Browser;
  let dir: string;
  let bundle: string;
  let report: Report;
  let page: Page;
  let problems: PageProblems;

  beforeAll(async () => {
    [bundle, dir] = await Promise.all([buildWebviewBundle(), mkdtemp(join(tmpdir(), 'lethe-report-'))]);
    browser = await launchChromium();
    report = sampleWithThumbnails();
    ({ page, problems } = await openReport(browser, dir, 'report.html', report, bundle));
  });

  afterAll(async () => {
    await browser?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('renders without errors, CSP violations or network requests', async () => {
    expect(problems.errors).toEqual([]);
    expect(problems.requests).toEqual([]);
    expect(await cspViolations(page)).toEqual([]);
    expect(await page.title()).toBe(`${report.name} · Lethe report`);
  });

  it('shows every metric with its values, definition and good value as visible text', async () => {
    for (const metric of report.metrics) {
      const body = page.locator(`tbody[data-metric="${metric.id}"]`);
      await expect(body.locator('tr.values th').textContent()).resolves.toBe(metric.label);
      const definition = body.locator('tr.definition');
      expect(await definition.isVisible()).toBe(true);
      const text = (await definition.textContent()) ?? '';
      expect(text).toContain(metric.definition);
      if (metric.referenceValue) expect(text).toContain(metric.referenceValue);
    }
    const forget = page.locator('tbody[data-metric="acc.forget"] tr.values td');
    expect(await forget.allTextContents()).toEqual(['0.9352', '0.0117+0.0117 from the reference, no noise band', '0']);
  });

  it('draws every chart', async () => {
    const canvases = await page.locator('canvas').count();
    const quantities = new Set(report.histograms.map((h) => `${h.quantity}/${h.role}`)).size;
    const privacy = report.metrics.filter((m) => m.group === 'privacy').length;
    expect(canvases).toBe(privacy + report.perClass.length + quantities);
    for (let i = 0; i < canvases; i++) expect(await paintedShare(page, i), `canvas ${i}`).toBeGreaterThan(0.01);
  });

  it('shows attribution thumbnails that are inline images and ignores any other URL', async () => {
    const sources = await page.locator('#attribution img').evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).src));
    const rows = (report.attribution ?? []).reduce((n, e) => n + 1 + e.before.length + e.after.length, 0);
    expect(sources).toHaveLength(rows - 1);
    expect(sources.every((s) => s.startsWith('data:image/png;base64,'))).toBe(true);
    const loaded = await page.locator('#attribution img').evaluateAll((imgs) => imgs.every((i) => (i as HTMLImageElement).naturalWidth === 28));
    expect(loaded).toBe(true);
  });

  it('hides rows whose values are equal when "differences only" is on, and shows them again', async () => {
    const equal = report.metrics.filter((m) => new Set(Object.values(m.values).map(String)).size <= 1).map((m) => m.id);
    expect(equal).toEqual(expect.arrayContaining(['klom.validation.p95', 'cost.speedup']));
    const visible = async (id: string) => page.locator(`tbody[data-metric="${id}"] tr.values`).isVisible();

    await page.locator('#differences-only').click();
    for (const id of equal) expect(await visible(id), id).toBe(false);
    for (const m of report.metrics.filter((m) => !equal.includes(m.id))) expect(await visible(m.id), m.id).toBe(true);

    await page.locator('#differences-only').click();
    for (const m of report.metrics) expect(await visible(m.id), m.id).toBe(true);
  });

  it('looks right (screenshot for review)', async () => {
    const shots = join(__dirname, '__screenshots__');
    await mkdir(shots, { recursive: true });
    await page.screenshot({ path: join(shots, 'report.png'), fullPage: true });
  });

  it('leaves out the reference column for a run without a reference model', async () => {
    const base = loadSampleReport();
    const withoutReference: Report = {
      ...base,
      models: { original: base.models.original, unlearned: base.models.unlearned },
      metrics: base.metrics.map((m) => ({ ...m, values: { original: m.values.original, unlearned: m.values.unlearned } })),
    };
    const opened = await openReport(browser, dir, 'no-reference.html', withoutReference, bundle);
    try {
      expect(await opened.page.locator('table.metrics thead th').allTextContents()).toEqual(['Metric', 'Original', 'Unlearned']);
      expect(await opened.page.locator('tbody[data-metric="acc.forget"] tr.values td').allTextContents()).toEqual(['0.9352', '0.0117']);
      expect(await opened.page.locator('#metrics .intro').textContent()).toContain('it has no reference model');
      expect(opened.problems.errors).toEqual([]);
    } finally {
      await opened.page.close();
    }
  });

  it('shows hostile report strings as text and runs none of them', async () => {
    const hostile = '</script><script>alert(1)</script><img src=x onerror=alert(2)>';
    const base = loadSampleReport();
    const evil: Report = { ...base, name: hostile, method: { ...base.method!, params: { note: hostile } }, log: [hostile] };
    const opened = await openReport(browser, dir, 'hostile.html', evil, bundle);
    try {
      expect(await opened.page.locator('h1').textContent()).toBe(hostile);
      expect(await opened.page.locator('#summary').textContent()).toContain(hostile);
      expect(await opened.page.locator('#summary img, header img').count()).toBe(0);
      expect(opened.problems.dialogs).toEqual([]);
      expect(opened.problems.errors).toEqual([]);
      expect(opened.problems.requests).toEqual([]);
    } finally {
      await opened.page.close();
    }
  });
});
