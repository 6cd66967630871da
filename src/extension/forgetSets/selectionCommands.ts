/**
 * The ways of choosing forget data: files and folders from the Explorer, selected rows of a CSV or
 * JSONL file, whole classes, and an imported id or index list. Each reads only descriptors, listings
 * and the user's own selection, and writes a `*.forget.json` through `saveSelection`.
 */
import * as vscode from 'vscode';
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { requireTrust } from '../trust';
import { showError } from '../userError';
import { datasetsContaining, findDatasets, pickDataset, type DatasetInfo } from './datasets';
import type { ForgetSetCatalog } from './forgetSetCatalog';
import { saveSelection, toPosixRelative } from './saveSelection';
import { parseIdList } from './selection';

export function registerSelectionCommands(catalog: ForgetSetCatalog, log: vscode.LogOutputChannel): vscode.Disposable[] {
  /** Each command: trust first (these read dataset files), errors shown with the file and cause. */
  const command = (id: string, action: string, run: (...args: unknown[]) => Promise<unknown>) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      if (!requireTrust(action)) return;
      try {
        await run(...args);
      } catch (e) {
        showError(log, e);
      }
    });

  return [
    command('lethe.forget.addFiles', 'Adding files to a forget set', async (clicked, selected) => {
      const uris = (Array.isArray(selected) && selected.length ? selected : [clicked]).filter((u): u is vscode.Uri => u instanceof vscode.Uri);
      if (!uris.length) return void vscode.window.showInformationMessage('Lethe: right-click images or folders in the Explorer to add them to a forget set.');
      const candidates = datasetsContaining(await findDatasets(), uris[0].fsPath).filter((d) => uris.every((u) => datasetsContaining([d], u.fsPath).length));
      if (!candidates.length) {
        throw new Error(`${vscode.workspace.asRelativePath(uris[0], true)} is not inside the training files of any image dataset descriptor (*.dataset.json|yaml with format: images)`);
      }
      const dataset = await pickDataset(candidates, 'Add to Forget Set');
      if (!dataset) return;
      const paths = uris.map((u) => u.fsPath);
      await saveSelection(catalog, dataset, (folder) => ({ kind: 'files', files: paths.map((p) => toPosixRelative(folder, p)) }), `forget-${basename(paths[0], extname(paths[0]))}`);
    }),

    command('lethe.forget.selectedRows', 'Forgetting selected rows', async (arg) => {
      const editor = vscode.window.activeTextEditor;
      const target = arg instanceof vscode.Uri ? arg : editor?.document.uri;
      if (!editor || !target || editor.document.uri.toString() !== target.toString()) {
        return void vscode.window.showInformationMessage('Lethe: open a CSV, TSV or JSONL file and select the rows to forget.');
      }
      const rows = selectedRows(editor);
      if (!rows.length) return void vscode.window.showInformationMessage('Lethe: select at least one data row (the header line does not count).');
      const candidates = datasetsContaining(await findDatasets(), target.fsPath);
      if (!candidates.length) throw new Error(`${vscode.workspace.asRelativePath(target, true)} is not the training file of any dataset descriptor (*.dataset.json|yaml)`);
      const dataset = await pickDataset(candidates, 'Forget Selected Rows');
      if (!dataset) return;
      await saveSelection(catalog, dataset, (folder) => ({ kind: 'rows', file: toPosixRelative(folder, target.fsPath), rows }), `forget-${basename(target.fsPath, extname(target.fsPath))}-rows`);
    }),

    command('lethe.forget.classes', 'Forgetting whole classes', async () => {
      const dataset = await pickDataset(await findDatasets(), 'Forget Whole Classes');
      if (!dataset) return;
      const classes = await pickClasses(dataset);
      if (!classes?.length) return;
      const slug = classes.map((c) => String(c).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')).join('-');
      await saveSelection(catalog, dataset, () => ({ kind: 'classes', classes }), `forget-${slug || 'classes'}`);
    }),

    command('lethe.forget.importList', 'Importing a forget list', async (arg) => {
      const uri =
        arg instanceof vscode.Uri
          ? arg
          : (await vscode.window.showOpenDialog({ title: 'Import Forget List', canSelectMany: false, filters: { 'Id or index lists': ['txt', 'csv', 'json'] } }))?.[0];
      if (!uri) return;
      const text = await readFile(uri.fsPath, 'utf8');
      const selection = parseIdList(uri.fsPath.endsWith('.json') ? jsonListText(text, uri.fsPath) : text);
      if (!selection) throw new Error(`${uri.fsPath}: no ids or indices found (expected one per line)`);
      const dataset = await pickDataset(await findDatasets(), 'Import Forget List');
      if (!dataset) return;
      await saveSelection(catalog, dataset, () => selection, basename(uri.fsPath, extname(uri.fsPath)));
    }),
  ];
}

/** 1-based line numbers (as the data readers number rows), without the CSV/TSV header and blank lines. */
function selectedRows(editor: vscode.TextEditor): number[] {
  const doc = editor.document;
  const hasHeader = /\.(csv|tsv)$/i.test(doc.uri.fsPath);
  const rows = new Set<number>();
  const selections = editor.selections.some((s) => !s.isEmpty) ? editor.selections : [editor.selection];
  for (const s of selections) {
    // A selection ending at column 0 of the next line does not include that line.
    const last = s.end.character === 0 && s.end.line > s.start.line ? s.end.line - 1 : s.end.line;
    for (let line = s.start.line; line <= last; line++) {
      if ((hasHeader && line === 0) || doc.lineAt(line).isEmptyOrWhitespace) continue;
      rows.add(line + 1);
    }
  }
  return [...rows].sort((a, b) => a - b);
}

async function pickClasses(dataset: DatasetInfo): Promise<(string | number)[] | undefined> {
  if (dataset.classNames) {
    const picked = await vscode.window.showQuickPick(
      dataset.classNames.map((name, i) => ({ label: name, description: `class ${i}` })),
      { title: 'Forget Whole Classes', placeHolder: 'Classes to forget (every training example of them)', canPickMany: true },
    );
    return picked?.map((p) => p.label);
  }
  const typed = await vscode.window.showInputBox({
    title: 'Forget Whole Classes',
    prompt: 'This dataset does not name its classes. Class numbers to forget, separated by commas:',
    validateInput: (v) => (/^\s*\d+(\s*,\s*\d+)*\s*$/.test(v) ? undefined : 'For example: 3, 5'),
  });
  return typed?.split(',').map((t) => Number(t.trim()));
}

/** A JSON list file: an array of ids/indices, or an object with one such array. */
function jsonListText(text: string, file: string): string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: not valid JSON (${(e as Error).message})`);
  }
  const list = Array.isArray(value) ? value : Object.values(value as object).find(Array.isArray);
  if (!list) throw new Error(`${file}: expected a JSON array of ids or indices`);
  return list.join('\n');
}
