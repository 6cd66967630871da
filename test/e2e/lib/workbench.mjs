// Driving the VS Code workbench in code-server with playwright-core (selectors from the recipe's probe).
export class Workbench {
  constructor(page) {
    this.page = page;
  }

  async open(base, folder) {
    await this.page.goto(`${base}/?folder=${encodeURIComponent(folder)}`);
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
  }

  /** Runs a palette command by its full title ("Lethe: Run Unlearning Job…"). */
  async runCommand(title) {
    await this.page.keyboard.press('Escape');
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input[type="text"]');
    await input.waitFor({ state: 'visible' });
    await input.fill('>' + title);
    const row = this.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    await row.waitFor({ timeout: 20_000 });
    await row.click();
  }

  /** Picks an entry of an open quick pick by its visible text. */
  async pick(text) {
    const row = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: text }).first();
    await row.waitFor({ timeout: 20_000 });
    await row.click();
  }

  /** Types into an open input box (replacing its default value) and accepts it. */
  async answer(text) {
    const input = this.page.locator('.quick-input-widget input[type="text"]');
    await input.waitFor({ state: 'visible' });
    await input.fill(text);
    await this.page.waitForTimeout(300); // let validation run before accepting
    await input.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }

  /** The pane of a view; expands it if collapsed (contributed views may start collapsed). */
  async view(name) {
    const header = this.page.locator(`.pane-header[aria-label^="${name}"]`).first();
    await header.waitFor({ timeout: 60_000 });
    if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
    return this.page.locator('.pane', { has: header });
  }

  async showLethe() {
    const icon = this.page.locator('.activitybar .action-item a[aria-label^="Lethe"]').first();
    await icon.waitFor({ timeout: 60_000 });
    if ((await icon.getAttribute('aria-expanded')) !== 'true') await icon.click();
  }

  async showExplorer() {
    const icon = this.page.locator('.activitybar .action-item a[aria-label^="Explorer"]').first();
    if ((await icon.getAttribute('aria-expanded')) !== 'true') await icon.click();
  }

  row(pane, text) {
    return pane.locator('.monaco-list-row', { hasText: text }).first();
  }

  /** The notification toast with this text; waits for it. */
  async toast(text, timeout = 30_000) {
    const t = this.page.locator('.notification-toast', { hasText: text }).first();
    await t.waitFor({ timeout });
    return t;
  }

  async clearToasts() {
    await this.page.keyboard.press('Escape');
    const clearAll = this.page.locator('.notifications-toasts .codicon-notifications-clear-all');
    for (const t of await this.page.locator('.notification-toast .codicon-notifications-clear, .notification-toast .codicon-close').all()) {
      await t.click().catch(() => undefined);
    }
    void clearAll;
  }

  /** The visible webview's content frame (outer iframe → #active-frame). */
  webview() {
    return this.page.frameLocator('iframe.webview.ready:visible').frameLocator('#active-frame');
  }

  async screenshot(path) {
    await this.page.screenshot({ path });
  }
}
