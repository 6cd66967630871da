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
    // Contributed commands reach the palette only once the extension host has scanned extensions
    // (recipe gotcha 2); a palette opened before that never lists them. A palette opened while a webview
    // had focus can also lose its input mid-fill. Either way: close it and open it again.
    for (let attempt = 1; ; attempt++) {
      try {
        // Escape only closes an open quick input; pressed in an editor it would drop the selection.
        if (await this.page.locator('.quick-input-widget').isVisible()) await this.page.keyboard.press('Escape');
        await this.page.keyboard.press('F1');
        const input = this.page.locator('.quick-input-widget input[type="text"]');
        await input.waitFor({ state: 'visible', timeout: 10_000 });
        await input.fill('>' + title, { timeout: 10_000 });
        const row = this.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
        await row.waitFor({ timeout: 15_000 });
        await row.click();
        return;
      } catch (e) {
        if (attempt === 3) throw e;
      }
    }
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

  /** Opens a view container by its palette command (clicking its icon would toggle it closed when open). */
  async showLethe() {
    await this.showContainer('Lethe');
  }

  async showExplorer() {
    await this.showContainer('Explorer');
  }

  async showContainer(label) {
    const item = this.page.locator('.activitybar li.action-item', { has: this.page.locator(`a[aria-label^="${label}"]`) }).first();
    await item.waitFor({ timeout: 60_000 });
    if (!((await item.getAttribute('class')) ?? '').split(/\s+/).includes('checked')) await item.click();
  }

  /** Opens a workspace file with Quick Open. */
  async openFile(name) {
    await this.page.keyboard.press('Escape');
    await this.page.keyboard.press('Control+P');
    const input = this.page.locator('.quick-input-widget input[type="text"]');
    await input.waitFor({ state: 'visible' });
    await input.fill(name);
    await this.pick(name);
    await this.page.locator('.tab', { hasText: name }).first().waitFor();
  }

  /** Right-clicks a row and chooses a context-menu entry (keyboard Enter: menu clicks can land mid-animation). */
  async contextMenu(row, entry) {
    await row.click({ button: 'right' });
    const item = this.page.locator('.context-view .action-item', { hasText: entry }).first();
    await item.waitFor();
    await item.hover();
    await this.page.keyboard.press('Enter');
    await this.page.locator('.context-view .monaco-menu').waitFor({ state: 'detached' }).catch(() => undefined);
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

  async dismissToasts() {
    for (const close of await this.page.locator('.notification-toast .codicon-notifications-clear').all()) await close.click().catch(() => undefined);
  }

  /** The visible webview's content frame (outer iframe → #active-frame). */
  webview() {
    return this.page.frameLocator('iframe.webview.ready:visible').frameLocator('#active-frame');
  }

  async screenshot(path) {
    await this.page.screenshot({ path });
  }
}
