/** Commands that manage forget-set files: create, open, rename, delete. */
import * as vscode from 'vscode';
import { access } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ForgetSetCatalog, ForgetSetEntry } from './forgetSetCatalog';

/** Tree items pass their entry, the Explorer passes a Uri, the palette passes nothing. */
async function forgetSetUri(catalog: ForgetSetCatalog, arg: unknown, title: string): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  if (arg && typeof arg === 'object' && (arg as ForgetSetEntry).uri instanceof vscode.Uri) return (arg as ForgetSetEntry).uri;
  const entries = await catalog.entries();
  if (!entries.length) {
    void vscode.window.showInformationMessage('Lethe: there are no forget sets in this workspace yet.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    entries.map((e) => ({ label: basename(e.uri.fsPath), description: vscode.workspace.asRelativePath(dirname(e.uri.fsPath), true), uri: e.uri })),
    { title },
  );
  return picked?.uri;
}

export function registerForgetSetCommands(catalog: ForgetSetCatalog): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('lethe.forgetSets.refresh', () => catalog.refresh()),
    vscode.commands.registerCommand('lethe.forgetSets.create', async () => {
      const how = await vscode.window.showQuickPick(
        [
          { label: '$(symbol-class) Whole classes…', command: 'lethe.forget.classes' },
          { label: '$(list-ordered) Ids or indices from a file…', command: 'lethe.forget.importList' },
          { label: '$(files) Images or folders from the Explorer', detail: 'Right-click them in the Explorer and choose "Add to Forget Set…"', command: '' },
          { label: '$(filter) Rows of a CSV or JSONL file', detail: 'Select the rows in the editor and choose "Forget Selected Rows"', command: '' },
        ],
        { title: 'Create Forget Set', placeHolder: 'What should the model forget?' },
      );
      if (how?.command) await vscode.commands.executeCommand(how.command);
      else if (how) void vscode.window.showInformationMessage(`Lethe: ${how.detail}.`);
    }),
    vscode.commands.registerCommand('lethe.forgetSets.open', async (arg?: unknown) => {
      const uri = await forgetSetUri(catalog, arg, 'Open Forget Set');
      if (uri) await vscode.window.showTextDocument(uri, { preview: true });
    }),
    vscode.commands.registerCommand('lethe.forgetSets.rename', async (arg?: unknown) => {
      const uri = await forgetSetUri(catalog, arg, 'Rename Forget Set');
      if (!uri) return;
      const folder = dirname(uri.fsPath);
      const current = basename(uri.fsPath).replace(/\.forget\.json$/, '');
      const name = await vscode.window.showInputBox({
        title: 'Rename Forget Set',
        value: current,
        prompt: 'Job files that name the old file are not changed.',
        validateInput: async (v) => {
          if (!/^[\w][\w .-]*$/.test(v)) return 'Use letters, digits, spaces, dots, dashes or underscores.';
          if (v === current) return undefined;
          return (await access(join(folder, `${v}.forget.json`)).then(() => true, () => false)) ? `${v}.forget.json already exists.` : undefined;
        },
      });
      if (!name || name === current) return;
      await vscode.workspace.fs.rename(uri, vscode.Uri.file(join(folder, `${name}.forget.json`)), { overwrite: false });
      await catalog.refresh();
    }),
    vscode.commands.registerCommand('lethe.forgetSets.delete', async (arg?: unknown) => {
      const uri = await forgetSetUri(catalog, arg, 'Delete Forget Set');
      if (!uri) return;
      const ok = await vscode.window.showWarningMessage(`Delete ${basename(uri.fsPath)}?`, { modal: true, detail: 'Job files that name it will fail until they point to another forget set.' }, 'Delete');
      if (ok !== 'Delete') return;
      try {
        await vscode.workspace.fs.delete(uri, { useTrash: true });
      } catch {
        await vscode.workspace.fs.delete(uri, { useTrash: false }); // no trash on this host (e.g. a remote server)
      }
      await catalog.refresh();
    }),
  ];
}
