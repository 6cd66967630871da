/**
 * The last step of every way of choosing forget data: add the selection to an existing forget set of
 * the same dataset and kind, or write a new `*.forget.json` beside the dataset.
 */
import * as vscode from 'vscode';
import { access } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { forgetSetDatasetPath, writeForgetSet } from '../../engine/data/forgetSet';
import type { ForgetSetFile } from '../../engine/data/types';
import { defaultForgetSetFolder, type DatasetInfo } from './datasets';
import type { ForgetSetCatalog } from './forgetSetCatalog';
import { describeSelection, mergeSelections, type Selection } from './selection';

/** Builds the selection once the forget set's folder is known (paths inside are relative to it). */
export type SelectionFor = (forgetSetFolder: string) => Selection;

export const toPosixRelative = (from: string, to: string) => relative(from, to).split(sep).join('/') || '.';

const NAME = /^[\w][\w .-]*$/;

export async function saveSelection(catalog: ForgetSetCatalog, dataset: DatasetInfo, build: SelectionFor, suggestedName: string): Promise<vscode.Uri | undefined> {
  const existing = (await catalog.entries()).filter(
    (e) => e.content && resolve(forgetSetDatasetPath(e.content, e.uri.fsPath)) === resolve(dataset.path) && mergeSelections(e.content.selection, build(dirname(e.uri.fsPath))),
  );
  let target: vscode.Uri | undefined;
  if (existing.length) {
    const picked = await vscode.window.showQuickPick(
      [
        { label: '$(add) New forget set…', uri: undefined as vscode.Uri | undefined },
        ...existing.map((e) => ({ label: basename(e.uri.fsPath), description: e.content && describeSelection(e.content.selection), uri: e.uri as vscode.Uri | undefined })),
      ],
      { title: 'Add to Forget Set', placeHolder: 'Add to an existing forget set or create a new one' },
    );
    if (!picked) return undefined;
    target = picked.uri;
  }
  if (target) {
    const entry = existing.find((e) => e.uri.toString() === target!.toString())!;
    const content = entry.content as ForgetSetFile;
    const merged = mergeSelections(content.selection, build(dirname(target.fsPath))) as Selection;
    await writeForgetSet(target.fsPath, { ...content, selection: merged });
    announce(target, `Added to ${basename(target.fsPath)}: now ${describeSelection(merged)}.`);
    return target;
  }

  const folder = defaultForgetSetFolder(dataset);
  const name = await vscode.window.showInputBox({
    title: 'New Forget Set',
    prompt: `Name of the forget set (saved as <name>.forget.json in ${vscode.workspace.asRelativePath(folder, true)})`,
    value: suggestedName,
    validateInput: async (v) => {
      if (!NAME.test(v)) return 'Use letters, digits, spaces, dots, dashes or underscores.';
      const exists = await access(join(folder, `${v}.forget.json`)).then(() => true, () => false);
      return exists ? `${v}.forget.json already exists there.` : undefined;
    },
  });
  if (!name) return undefined;
  const file = join(folder, `${name}.forget.json`);
  const selection = build(folder);
  await writeForgetSet(file, { version: 1, dataset: toPosixRelative(folder, dataset.path), selection });
  const uri = vscode.Uri.file(file);
  await catalog.refresh();
  announce(uri, `Created ${basename(file)}: ${describeSelection(selection)}.`);
  return uri;
}

function announce(uri: vscode.Uri, message: string): void {
  void vscode.window.showInformationMessage(`Lethe: ${message}`, 'Open').then((choice) => {
    if (choice) void vscode.window.showTextDocument(uri);
  });
}
