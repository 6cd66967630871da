/**
 * The workspace files matching some globs, kept current by FileSystemWatchers whose bursts of events
 * are debounced into one rescan. Views subscribe to `onDidChange`.
 */
import * as vscode from 'vscode';
import { debounce } from './debounce';

const EXCLUDE = '{**/node_modules/**,**/.git/**,**/.*.staging-*/**}';

export class WatchedFiles implements vscode.Disposable {
  private files: vscode.Uri[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private readonly rescanSoon = debounce(() => void this.rescan(), 300);
  private scanning: Promise<void> | undefined;

  constructor(private readonly globs: string[]) {
    for (const glob of globs) {
      const w = vscode.workspace.createFileSystemWatcher(glob);
      w.onDidCreate(this.rescanSoon, undefined, this.disposables);
      w.onDidChange(this.rescanSoon, undefined, this.disposables);
      w.onDidDelete(this.rescanSoon, undefined, this.disposables);
      this.disposables.push(w);
    }
    this.disposables.push(vscode.workspace.onDidChangeWorkspaceFolders(this.rescanSoon), { dispose: this.rescanSoon.dispose });
  }

  /** Current files; the first call waits for the initial scan. */
  async list(): Promise<vscode.Uri[]> {
    this.scanning ??= this.rescan();
    await this.scanning;
    return this.files;
  }

  async rescan(): Promise<void> {
    const found = await Promise.all(this.globs.map((g) => vscode.workspace.findFiles(g, EXCLUDE)));
    const unique = new Map(found.flat().map((u) => [u.toString(), u]));
    this.files = [...unique.values()].sort((a, b) => a.fsPath.localeCompare(b.fsPath));
    this.changed.fire();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
