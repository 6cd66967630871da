/** Errors as users see them: the file and the cause, never a stack trace (the stack goes to the log). */
import * as vscode from 'vscode';
import { isLetheError } from '../engine/util/errors';

export function describeError(e: unknown, file?: string): string {
  if (isLetheError(e)) return e.message; // already names file and place
  const cause = e instanceof Error ? e.message : String(e);
  return file && !cause.includes(file) ? `${file}: ${cause}` : cause;
}

export function showError(log: vscode.LogOutputChannel, e: unknown, file?: string): void {
  const message = describeError(e, file);
  log.error(e instanceof Error && e.stack ? `${message}\n${e.stack}` : message);
  void vscode.window.showErrorMessage(`Lethe: ${message}`, 'Show Log').then((choice) => {
    if (choice) log.show(true);
  });
}
