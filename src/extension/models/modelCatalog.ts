/**
 * Every ONNX and TF.js model in the workspace with its summary. Summaries are a protobuf parse (no
 * onnxruntime, no data) cached by size and mtime; models over `lethe.maxModelSizeMB` are listed but
 * not parsed in the extension host.
 */
import * as vscode from 'vscode';
import { readFile, stat } from 'node:fs/promises';
import { summarizeModelFile, type ModelSummary } from '../../engine/onnx/summary';
import { describeError } from '../userError';
import { readSettings } from '../settings';
import { WatchedFiles } from '../watchedFiles';

export interface CatalogModel {
  uri: vscode.Uri;
  /** Absolute path (for lineage). */
  path: string;
  format: 'onnx' | 'tfjs';
  bytes: number;
  summary?: ModelSummary;
  /** Why there is no summary: too large, or a parse error naming the file. */
  problem?: string;
  /** Lineage metadata; empty when not parsed. */
  metadata: Record<string, string>;
}

export class ModelCatalog implements vscode.Disposable {
  private readonly files = new WatchedFiles(['**/*.onnx', '**/model.json']);
  private readonly cache = new Map<string, { key: string; model: CatalogModel }>();
  readonly onDidChange = this.files.onDidChange;

  /** A changed size limit changes which models are parsed. */
  private readonly settingsWatch = vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('lethe.maxModelSizeMB')) void this.refresh();
  });

  constructor(private readonly log: vscode.LogOutputChannel) {}

  async models(): Promise<CatalogModel[]> {
    const uris = await this.files.list();
    const models = await Promise.all(uris.map((u) => this.describe(u)));
    return models.filter((m): m is CatalogModel => m !== undefined);
  }

  refresh(): Promise<void> {
    this.cache.clear();
    return this.files.rescan();
  }

  async describe(uri: vscode.Uri): Promise<CatalogModel | undefined> {
    const path = uri.fsPath;
    let info;
    try {
      info = await stat(path);
    } catch {
      return undefined; // deleted between scan and stat
    }
    const maxBytes = readSettings(uri).maxModelSizeMB * 2 ** 20;
    const key = `${info.size}:${info.mtimeMs}:${maxBytes}`;
    const cached = this.cache.get(path);
    if (cached?.key === key) return cached.model;

    const format = path.endsWith('.json') ? 'tfjs' : 'onnx';
    if (format === 'tfjs' && !(await isTfjsModelJson(path))) return undefined; // some other project's model.json
    const model: CatalogModel = { uri, path, format, bytes: info.size, metadata: {} };
    if (info.size > maxBytes) {
      model.problem = `not parsed: ${(info.size / 2 ** 20).toFixed(1)} MB is over lethe.maxModelSizeMB (${readSettings(uri).maxModelSizeMB} MB)`;
    } else {
      try {
        model.summary = await summarizeModelFile(path, { maxBytes });
        model.metadata = model.summary.metadata;
      } catch (e) {
        model.problem = describeError(e, path);
        this.log.warn(`Models: ${model.problem}`);
      }
    }
    this.cache.set(path, { key, model });
    return model;
  }

  dispose(): void {
    this.settingsWatch.dispose();
    this.files.dispose();
  }
}

/** TF.js Layers models carry a weights manifest; a `model.json` without one is not ours to list. */
async function isTfjsModelJson(path: string): Promise<boolean> {
  try {
    const text = await readFile(path, 'utf8');
    return text.includes('"weightsManifest"') && text.includes('"modelTopology"');
  } catch {
    return false;
  }
}
