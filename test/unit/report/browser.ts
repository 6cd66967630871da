/** Headless Chromium for the report tests: launch, and watch a page for errors, requests and CSP violations. */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** Debian's Chromium is a test prerequisite (.ci/run installs it): without it these tests fail and say so, rather than skip. */
export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`the report browser tests need headless Chromium at ${CHROMIUM}: apt-get install chromium`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface PageProblems {
  errors: string[];
  requests: string[];
  dialogs: string[];
}

/**
 * Records console errors and warnings, uncaught exceptions, dialogs (an injected `alert` would open
 * one) and every request except to `allowedUrls`. CSP violations are collected in the page itself,
 * by a listener installed before any page script runs; read them with `cspViolations`.
 */
export async function watchPage(page: Page, allowedUrls: string[]): Promise<PageProblems> {
  const problems: PageProblems = { errors: [], requests: [], dialogs: [] };
  page.on('console', (m) => (m.type() === 'error' || m.type() === 'warning') && problems.errors.push(`console.${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => problems.errors.push(`pageerror: ${e.message}`));
  page.on('request', (r) => !allowedUrls.includes(r.url()) && !r.url().startsWith('data:') && problems.requests.push(r.url()));
  page.on('dialog', (d) => {
    problems.dialogs.push(d.message());
    void d.dismiss();
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return problems;
}

export function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
}

/** Share of a canvas's pixels that are not transparent: a drawn chart has axes, bars or lines. */
export function paintedShare(page: Page, index: number): Promise<number> {
  return page.evaluate((i) => {
    const canvas = document.querySelectorAll('canvas')[i];
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    let painted = 0;
    for (let p = 3; p < data.length; p += 4) if (data[p] > 0) painted++;
    return painted / (canvas.width * canvas.height);
  }, index);
}
