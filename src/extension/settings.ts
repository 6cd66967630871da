/** Typed access to the `lethe.*` settings, read fresh each time so changes apply without a reload. */
import * as vscode from 'vscode';

export interface LetheSettings {
  threads: number;
  /** The method the picker starts on; empty = the recommended one. */
  defaultMethod: string;
  codeLensEnabled: boolean;
  outputFolder: string;
  maxModelSizeMB: number;
}

export function readSettings(scope?: vscode.Uri): LetheSettings {
  const c = vscode.workspace.getConfiguration('lethe', scope);
  return {
    threads: c.get<number>('threads', 0),
    defaultMethod: c.get<string>('defaultMethod', ''),
    codeLensEnabled: c.get<boolean>('codeLens.enabled', true),
    outputFolder: c.get<string>('outputFolder', ''),
    maxModelSizeMB: c.get<number>('maxModelSizeMB', 100),
  };
}
