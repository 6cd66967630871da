/**
 * Which datasets the workspace holds and what is cheap to know about them (class names, the files a
 * descriptor covers), read from descriptors and folder listings only: the extension host never
 * loads examples.
 */
import * as vscode from 'vscode';
import { stat } from 'node:fs/promises';
import { dirname, relative, isAbsolute, resolve } from 'node:path';
import { readDescriptor, type DatasetDescriptor } from '../../engine/data/descriptor';
import { findMnistFiles, mnistClassNames } from '../../engine/data/mnistFolder';

export interface DatasetInfo {
  /** Descriptor file or MNIST-style folder, absolute. */
  path: string;
  kind: 'descriptor' | 'idx-folder';
  descriptor?: DatasetDescriptor;
  /** Known without reading examples; undefined when only the labels would tell. */
  classNames?: string[];
}

const EXCLUDE = '{**/node_modules/**,**/.git/**}';

export async function findDatasets(): Promise<DatasetInfo[]> {
  const [descriptors, idxFiles] = await Promise.all([
    vscode.workspace.findFiles('**/*.dataset.{json,yaml,yml}', EXCLUDE),
    vscode.workspace.findFiles('**/train-images-idx3-ubyte{,.gz}', EXCLUDE),
  ]);
  const infos = await Promise.all([
    ...descriptors.map((u) => describeDataset(u.fsPath).catch(() => undefined)),
    ...[...new Set(idxFiles.map((u) => dirname(u.fsPath)))].map((d) => describeDataset(d).catch(() => undefined)),
  ]);
  return infos.filter((i): i is DatasetInfo => i !== undefined);
}

/** Throws a LetheError naming the file when the path is neither a valid descriptor nor an MNIST folder. */
export async function describeDataset(path: string): Promise<DatasetInfo | undefined> {
  if ((await stat(path)).isDirectory()) {
    if (!(await findMnistFiles(path))) return undefined;
    return { path, kind: 'idx-folder', classNames: mnistClassNames(path) };
  }
  const descriptor = await readDescriptor(path);
  return { path, kind: 'descriptor', descriptor, classNames: descriptor.classNames };
}

/** The training files or folder a descriptor covers (paths are already absolute after readDescriptor). */
function trainRoots(d: DatasetDescriptor): string[] {
  switch (d.format) {
    case 'idx':
      return [d.files.train.images, d.files.train.labels];
    case 'npy':
      return [d.files.train.x, d.files.train.y];
    default:
      return [d.files.train];
  }
}

function isInside(file: string, root: string): boolean {
  const rel = relative(resolve(root), resolve(file));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** Datasets whose training split contains this file or folder (images, or the CSV/JSONL file itself). */
export function datasetsContaining(datasets: DatasetInfo[], path: string): DatasetInfo[] {
  return datasets.filter((d) => d.descriptor && trainRoots(d.descriptor).some((root) => isInside(path, root)));
}

/** Where a new forget set for this dataset goes: beside the descriptor, or beside the data folder. */
export function defaultForgetSetFolder(d: DatasetInfo): string {
  return dirname(d.path);
}

export async function pickDataset(datasets: DatasetInfo[], title: string): Promise<DatasetInfo | undefined> {
  if (datasets.length === 1) return datasets[0];
  if (datasets.length === 0) {
    void vscode.window.showWarningMessage(
      'Lethe: no dataset found. Add a *.dataset.json|yaml descriptor, or a folder with the four MNIST IDX files (train-images-idx3-ubyte…).',
    );
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    datasets.map((d) => ({ label: vscode.workspace.asRelativePath(d.path, true), description: d.kind === 'idx-folder' ? 'IDX folder' : d.descriptor?.format, dataset: d })),
    { title, placeHolder: 'Dataset the forget set refers to' },
  );
  return picked?.dataset;
}
