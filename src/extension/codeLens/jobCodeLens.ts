/** "Run unlearning", "Audit model" and "Open last report" above job files and training configs. */
import * as vscode from 'vscode';
import { readSettings } from '../settings';
import { classifyConfig, JOB_FILE } from './configKind';

const MAX_CONFIG_LINES = 2000;

export const CODE_LENS_SELECTOR: vscode.DocumentSelector = [
  { scheme: 'file', language: 'yaml' },
  { scheme: 'file', language: 'json' },
  { scheme: 'file', language: 'jsonc' },
  { scheme: 'file', pattern: '**/*.lethe.{yaml,yml,json}' },
];

export class JobCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor() {
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('lethe.codeLens.enabled')) this.changed.fire();
    });
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!readSettings(document.uri).codeLensEnabled) return [];
    // Configs are small; parsing a large data file on every keystroke is not worth a lens.
    if (document.lineCount > MAX_CONFIG_LINES && !JOB_FILE.test(document.fileName)) return [];
    const kind = classifyConfig(document.fileName, document.getText());
    if (!kind) return [];
    const top = new vscode.Range(0, 0, 0, 0);
    const uri = document.uri;
    const lens = (title: string, command: string, tooltip: string) => new vscode.CodeLens(top, { title, command, arguments: [uri], tooltip });
    return [
      lens('$(play) Run unlearning', 'lethe.runJob', kind.kind === 'job' ? 'Run this job in a background process' : 'Unlearn a forget set from the model this config trains'),
      lens('$(checklist) Audit model', 'lethe.auditJob', 'Evaluate the model without changing it'),
      lens('$(graph) Open last report', 'lethe.openLastReport', 'Open the newest report of a run started from this file'),
    ];
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
