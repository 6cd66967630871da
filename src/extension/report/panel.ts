/**
 * The report panel: shows a run's `report.json` in the report app (webview/), answers the app's
 * requests (export, open file, reveal run) and comes back after a reload through a serializer.
 * The webview keeps only its view state (`setState`), so `retainContextWhenHidden` stays off.
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { createNonce } from '../../engine/report/document';
import { loadWebviewBundle, renderReportHtml } from '../../engine/report/html';
import { parseReportJson } from '../../engine/report/parse';
import type { Report } from '../../engine/contracts/report';
import { parseViewState, type HostToWebview, type WebviewToHost } from '../../../webview/protocol';
import { parseWebviewMessage } from './webviewMessages';
import { panelHtml } from './panel-html';
import { openableCandidates } from './paths';

export const REPORT_VIEW_TYPE = 'lethe.report';

/** Open panels by report path, so opening the same report again reveals its panel. */
const openPanels = new Map<string, vscode.WebviewPanel>();

function distFolder(context: vscode.ExtensionContext): vscode.Uri {
  return vscode.Uri.joinPath(context.extensionUri, 'dist');
}

function webviewOptions(context: vscode.ExtensionContext): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [distFolder(context)] };
}

async function readReport(reportPath: string): Promise<Report> {
  return parseReportJson(await readFile(reportPath, 'utf8'), reportPath);
}

function panelTitle(report: Report): string {
  return `Report: ${report.name}`;
}

export async function openReportPanel(context: vscode.ExtensionContext, reportJsonPath: string): Promise<void> {
  const existing = openPanels.get(reportJsonPath);
  if (existing) {
    existing.reveal();
    return;
  }
  let report: Report;
  try {
    report = await readReport(reportJsonPath);
  } catch (error) {
    void vscode.window.showErrorMessage(`Cannot open the report: ${(error as Error).message}`);
    return;
  }
  const panel = vscode.window.createWebviewPanel(REPORT_VIEW_TYPE, panelTitle(report), vscode.ViewColumn.Active, {
    ...webviewOptions(context),
    retainContextWhenHidden: false,
  });
  showReport(context, panel, reportJsonPath, report);
}

/** Restores report panels after a reload; the state the app saved names the report file. */
export function registerReportSerializer(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(REPORT_VIEW_TYPE, {
      async deserializeWebviewPanel(panel, state) {
        const viewState = parseViewState(state);
        if (!viewState) {
          panel.dispose();
          return;
        }
        try {
          showReport(context, panel, viewState.reportPath, await readReport(viewState.reportPath));
        } catch (error) {
          panel.dispose();
          void vscode.window.showWarningMessage(`Lethe could not restore a report panel: ${(error as Error).message}`);
        }
      },
    }),
  );
}

function showReport(context: vscode.ExtensionContext, panel: vscode.WebviewPanel, reportPath: string, initial: Report): void {
  let report = initial;
  const webview = panel.webview;
  webview.options = webviewOptions(context);
  panel.title = panelTitle(report);
  webview.html = panelHtml({
    nonce: createNonce(),
    cspSource: webview.cspSource,
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(distFolder(context), 'webview.js')).toString(),
    title: panelTitle(report),
  });
  openPanels.set(reportPath, panel);

  const send = () => void webview.postMessage({ type: 'report', report, reportPath } satisfies HostToWebview);

  // `lethe verify` and re-runs rewrite report.json; show the new content without reopening.
  const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(dirname(reportPath)), basename(reportPath)));
  const reload = async () => {
    try {
      report = await readReport(reportPath);
      panel.title = panelTitle(report);
      send();
    } catch {
      // A half-written file; the next change event brings the complete one.
    }
  };
  const subscriptions = [
    watcher,
    watcher.onDidChange(reload),
    watcher.onDidCreate(reload),
    webview.onDidReceiveMessage((raw: unknown) => {
      const message = parseWebviewMessage(raw);
      if (!message) {
        console.warn('Lethe report panel: ignored a malformed message from the webview', raw);
        return;
      }
      void handle(message).catch((error: Error) => vscode.window.showErrorMessage(error.message));
    }),
  ];

  async function handle(message: WebviewToHost): Promise<void> {
    switch (message.type) {
      case 'ready':
        return send();
      case 'export':
        return exportHtml(context, report, reportPath);
      case 'openFile':
        return openReferencedFile(report, reportPath, message.path);
      case 'revealRun':
        return revealRunFolder(reportPath);
    }
  }

  panel.onDidDispose(() => {
    if (openPanels.get(reportPath) === panel) openPanels.delete(reportPath);
    for (const s of subscriptions) s.dispose();
  });
}

async function exportHtml(context: vscode.ExtensionContext, report: Report, reportPath: string): Promise<void> {
  const target = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.file(join(dirname(reportPath), 'report.html')),
    filters: { 'HTML report': ['html'] },
    title: 'Export the report as one self-contained HTML file',
  });
  if (!target) return;
  const html = renderReportHtml(report, await loadWebviewBundle(distFolder(context).fsPath));
  await vscode.workspace.fs.writeFile(target, Buffer.from(html, 'utf8'));
  const choice = await vscode.window.showInformationMessage(`Report exported to ${target.fsPath}.`, 'Open in Browser');
  if (choice) await vscode.env.openExternal(target);
}

async function stat(uri: vscode.Uri): Promise<vscode.FileStat | undefined> {
  return Promise.resolve(vscode.workspace.fs.stat(uri)).catch(() => undefined);
}

async function openReferencedFile(report: Report, reportPath: string, requested: string): Promise<void> {
  const workspaceFolders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
  const candidates = openableCandidates(report, requested, reportPath, workspaceFolders);
  if (candidates.length === 0) {
    console.warn(`Lethe report panel: refused to open ${requested}, which the report does not name`);
    return;
  }
  for (const candidate of candidates) {
    const uri = vscode.Uri.file(candidate);
    const info = await stat(uri);
    if (!info) continue;
    if (info.type & vscode.FileType.Directory) await vscode.commands.executeCommand('revealInExplorer', uri);
    else await vscode.commands.executeCommand('vscode.open', uri);
    return;
  }
  void vscode.window.showWarningMessage(`${requested} was not found (looked in the workspace and beside the report).`);
}

async function revealRunFolder(reportPath: string): Promise<void> {
  const folder = vscode.Uri.file(dirname(reportPath));
  const inWorkspace = vscode.workspace.getWorkspaceFolder(folder) !== undefined;
  await vscode.commands.executeCommand(inWorkspace ? 'revealInExplorer' : 'revealFileInOS', folder);
}
