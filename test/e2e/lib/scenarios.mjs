// The scenarios, in order; later ones rely on the state earlier ones leave (a created forget set, a finished run).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const assert = (cond, message) => {
  if (!cond) throw new Error(message);
};

async function waitFor(check, what, timeout = 30_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export const scenarios = [
  {
    name: 'models',
    title: 'The Models view lists the example models with their details',
    async run({ wb, shots }) {
      await wb.showLethe();
      const models = await wb.view('Models');
      const row = wb.row(models, 'fashion-cnn.onnx');
      await row.waitFor({ timeout: 60_000 });
      await row.locator('.monaco-tl-twistie').click();
      for (const part of ['Inputs', 'Outputs', 'Layers', 'Metadata']) await wb.row(models, part).waitFor();
      await wb.row(models, 'Layers').click();
      await wb.row(models, 'Conv').waitFor();
      await wb.screenshot(join(shots, 'models.png'));
    },
  },
  {
    name: 'overview',
    title: 'Clicking a model opens its overview (custom editor webview)',
    async run({ wb, shots }) {
      await wb.showLethe();
      const models = await wb.view('Models');
      await wb.row(models, 'fashion-cnn.onnx').click();
      const view = wb.webview();
      await view.locator('#title', { hasText: 'fashion-cnn.onnx' }).waitFor({ timeout: 30_000 });
      const ops = await view.locator('#ops').innerText();
      assert(/Conv/.test(ops) && /Gemm|MatMul/.test(ops), `graph summary lacks Conv/Gemm rows: ${ops}`);
      const inputs = await view.locator('#inputs').innerText();
      assert(/28, 28/.test(inputs), `inputs table lacks the 28×28 shape: ${inputs}`);
      assert(/\d/.test(await view.locator('#total-params').innerText()), 'no parameter count');
      await wb.screenshot(join(shots, 'model-overview.png'));
    },
  },
  {
    name: 'forget-from-explorer',
    title: 'A forget set is created from the Explorer context menu on an image folder',
    async run({ wb, page, workspace }) {
      await wb.showExplorer();
      const explorer = page.locator('.explorer-folders-view');
      for (const folder of ['pets', 'train']) {
        const row = explorer.locator('.monaco-list-row', { hasText: new RegExp(`^${folder}$`) }).first();
        await row.waitFor();
        if ((await row.getAttribute('aria-expanded')) === 'false') await row.click();
      }
      const cat = explorer.locator('.monaco-list-row', { hasText: /^cat$/ }).first();
      await cat.click({ button: 'right' });
      await page.locator('.context-view .action-label', { hasText: 'Add to Forget Set…' }).click();
      await wb.answer('cats-e2e');
      const file = join(workspace, 'cats-e2e.forget.json');
      const content = await waitFor(() => existsSync(file) && JSON.parse(readFileSync(file, 'utf8')), file);
      assert(content.dataset === 'pets.dataset.json', `dataset is ${content.dataset}`);
      assert(content.selection.kind === 'files' && content.selection.files.join() === 'pets/train/cat', `selection is ${JSON.stringify(content.selection)}`);
      await wb.showLethe();
      const sets = await wb.view('Forget Sets');
      await wb.row(sets, 'cats-e2e').waitFor();
      assert(/1 file/.test(await wb.row(sets, 'cats-e2e').innerText()), 'forget set size not shown');
    },
  },
];
