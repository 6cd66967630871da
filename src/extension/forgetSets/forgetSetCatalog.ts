/** Every `*.forget.json` in the workspace, validated with the engine's reader (cached by mtime). */
import * as vscode from 'vscode';
import { stat } from 'node:fs/promises';
import { readForgetSet } from '../../engine/data/forgetSet';
import type { ForgetSetFile } from '../../engine/data/types';
import { describeError } from '../userError';
import { WatchedFiles } from '../watchedFiles';

export interface ForgetSetEntry {
  uri: vscode.Uri;
  content?: ForgetSetFile;
  /** Why the file could not be read, naming the file and the key. */
  problem?: string;
}

export class ForgetSetCatalog implements vscode.Disposable {
  private readonly files = new WatchedFiles(['**/*.forget.json']);
  private readonly cache = new Map<string, { mtime: number; entry: ForgetSetEntry }>();
  readonly onDidChange = this.files.onDidChange;

  async entries(): Promise<ForgetSetEntry[]> {
    return Promise.all((await this.files.list()).map((u) => this.read(u)));
  }

  refresh(): Promise<void> {
    this.cache.clear();
    return this.files.rescan();
  }

  private async read(uri: vscode.Uri): Promise<ForgetSetEntry> {
    const mtime = await stat(uri.fsPath).then((s) => s.mtimeMs, () => -1);
    const cached = this.cache.get(uri.fsPath);
    if (cached?.mtime === mtime) return cached.entry;
    let entry: ForgetSetEntry;
    try {
      entry = { uri, content: await readForgetSet(uri.fsPath) };
    } catch (e) {
      entry = { uri, problem: describeError(e, uri.fsPath) };
    }
    this.cache.set(uri.fsPath, { mtime, entry });
    return entry;
  }

  dispose(): void {
    this.files.dispose();
  }
}
