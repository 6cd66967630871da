/** Commands on models: refresh, open the overview, compare a derived checkpoint with its original. */
import * as vscode from 'vscode';
import { access } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parentPathOf } from './lineage';
import type { ModelCatalog } from './modelCatalog';
import { MODEL_OVERVIEW_VIEW_TYPE } from './modelTree';

/** Tree nodes and editor/explorer arguments both name a model. */
export function modelUriOf(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  const node = arg as { kind?: string; node?: { model?: { uri?: unknown } } } | undefined;
  return node?.kind === 'model' && node.node?.model?.uri instanceof vscode.Uri ? node.node.model.uri : undefined;
}

export function registerModelCommands(catalog: ModelCatalog, openReport: (path: string) => Promise<void>): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('lethe.models.refresh', () => catalog.refresh()),
    vscode.commands.registerCommand('lethe.models.openOverview', async (arg?: unknown) => {
      const uri = modelUriOf(arg) ?? vscode.window.activeTextEditor?.document.uri;
      if (uri) await vscode.commands.executeCommand('vscode.openWith', uri, MODEL_OVERVIEW_VIEW_TYPE);
    }),
    vscode.commands.registerCommand('lethe.models.compare', async (arg?: unknown) => {
      const uri = modelUriOf(arg);
      const model = uri && (await catalog.describe(uri));
      const parent = model && parentPathOf(model);
      if (!uri || !parent) return void vscode.window.showInformationMessage('Lethe: this model was not derived from another model.');
      // The run that wrote the checkpoint compared it with its original: its report is the comparison.
      const report = join(dirname(uri.fsPath), 'report.json');
      if (await access(report).then(() => true, () => false)) return openReport(report);
      await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(parent), MODEL_OVERVIEW_VIEW_TYPE, vscode.ViewColumn.One);
      await vscode.commands.executeCommand('vscode.openWith', uri, MODEL_OVERVIEW_VIEW_TYPE, vscode.ViewColumn.Beside);
    }),
  ];
}
