/**
 * Workspace trust, enforced in code: commands can be invoked directly (keybindings, other extensions,
 * `executeCommand`) even when the manifest hides them, so every command that runs a job or reads
 * training data asks here first.
 */
import * as vscode from 'vscode';

export function requireTrust(action: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window.showWarningMessage(`Lethe: ${action} needs a trusted workspace. Viewing models and reports works in Restricted Mode.`, 'Manage Workspace Trust').then((choice) => {
    if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
  });
  return false;
}
