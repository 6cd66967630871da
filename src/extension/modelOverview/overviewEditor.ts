/** Read-only custom editor for `.onnx` (and TF.js `model.json` via "Open With"): the model overview page. */
import * as vscode from 'vscode';
import { basename } from 'node:path';
import { randomBytes } from 'node:crypto';
import { buildLineage, parentPathOf } from '../models/lineage';
import type { ModelCatalog } from '../models/modelCatalog';
import { MODEL_OVERVIEW_VIEW_TYPE } from '../models/modelTree';
import { renderOverview } from './overviewHtml';

const ACTIONS: Record<string, string> = { audit: 'lethe.models.audit', unlearn: 'lethe.models.unlearn', compare: 'lethe.models.compare' };

export class ModelOverviewEditor implements vscode.CustomReadonlyEditorProvider {
  static register(catalog: ModelCatalog): vscode.Disposable {
    return vscode.window.registerCustomEditorProvider(MODEL_OVERVIEW_VIEW_TYPE, new ModelOverviewEditor(catalog), {
      supportsMultipleEditorsPerDocument: true,
    });
  }

  private constructor(private readonly catalog: ModelCatalog) {}

  openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
    return { uri, dispose: () => undefined };
  }

  async resolveCustomEditor(document: vscode.CustomDocument, panel: vscode.WebviewPanel): Promise<void> {
    panel.webview.options = { enableScripts: true, localResourceRoots: [] };
    const render = async () => {
      panel.webview.html = await this.html(document.uri);
    };
    await render();
    const subscriptions = [
      this.catalog.onDidChange(render), // lineage and the file itself may change
      vscode.workspace.onDidGrantWorkspaceTrust(render),
      panel.webview.onDidReceiveMessage((m: { action?: unknown }) => {
        const command = typeof m.action === 'string' ? ACTIONS[m.action] : undefined;
        if (command) void vscode.commands.executeCommand(command, document.uri);
      }),
    ];
    panel.onDidDispose(() => subscriptions.forEach((d) => d.dispose()));
  }

  private async html(uri: vscode.Uri): Promise<string> {
    const model = await this.catalog.describe(uri);
    const all = await this.catalog.models();
    const node = buildLineage(all)
      .flatMap(function walk(n): (typeof n)[] {
        return [n, ...n.children.flatMap(walk)];
      })
      .find((n) => n.model.path === uri.fsPath);
    const parent = model ? parentPathOf(model) : undefined;
    return renderOverview(
      {
        title: basename(uri.fsPath),
        location: vscode.workspace.asRelativePath(uri, true),
        bytes: model?.bytes ?? 0,
        summary: model?.summary,
        problem: model ? model.problem : 'not a TF.js Layers model (no weightsManifest)',
        parent: parent && vscode.workspace.asRelativePath(parent, true),
        derived: (node?.children ?? []).map((c) => ({ name: vscode.workspace.asRelativePath(c.model.uri, true), role: c.role ?? 'derived', method: c.method })),
        canRun: vscode.workspace.isTrusted,
      },
      randomBytes(16).toString('base64'),
    );
  }
}
