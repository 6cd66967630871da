/** The Forget Sets view: each `*.forget.json` with its size and the dataset it refers to. */
import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { ForgetSetCatalog, ForgetSetEntry } from './forgetSetCatalog';
import { describeSelection } from './selection';

export class ForgetSetTreeProvider implements vscode.TreeDataProvider<ForgetSetEntry> {
  readonly onDidChangeTreeData: vscode.Event<void>;

  constructor(private readonly catalog: ForgetSetCatalog) {
    this.onDidChangeTreeData = catalog.onDidChange;
  }

  async getChildren(element?: ForgetSetEntry): Promise<ForgetSetEntry[]> {
    return element ? [] : this.catalog.entries();
  }

  getTreeItem(e: ForgetSetEntry): vscode.TreeItem {
    const item = new vscode.TreeItem(basename(e.uri.fsPath).replace(/\.forget\.json$/, ''));
    item.id = `forgetSet:${e.uri.fsPath}`;
    item.resourceUri = e.uri;
    item.contextValue = 'forgetSet';
    item.command = { command: 'lethe.forgetSets.open', title: 'Open Forget Set', arguments: [e] };
    if (e.content) {
      item.description = `${describeSelection(e.content.selection)} · ${e.content.dataset}`;
      item.tooltip = new vscode.MarkdownString(
        [`**${vscode.workspace.asRelativePath(e.uri, true)}**`, e.content.description, `Dataset: \`${e.content.dataset}\``, describeSelection(e.content.selection)]
          .filter(Boolean)
          .join('\n\n'),
      );
      item.iconPath = new vscode.ThemeIcon('filter');
    } else {
      item.description = 'invalid';
      item.tooltip = e.problem;
      item.iconPath = new vscode.ThemeIcon('warning');
    }
    return item;
  }
}
