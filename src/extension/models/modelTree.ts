/** The Models view: each checkpoint with its inputs, outputs, layers and metadata; derived checkpoints below their original. */
import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { ModelSummary } from '../../engine/onnx/summary';
import { buildLineage, type LineageNode } from './lineage';
import type { CatalogModel, ModelCatalog } from './modelCatalog';
import { formatCount } from './format';

export const MODEL_OVERVIEW_VIEW_TYPE = 'lethe.modelOverview';

export type ModelTreeNode =
  | { kind: 'model'; node: LineageNode<CatalogModel> }
  | { kind: 'section'; id: string; label: string; description: string; icon: string; children: ModelTreeNode[] }
  | { kind: 'leaf'; label: string; description?: string };

export class ModelTreeProvider implements vscode.TreeDataProvider<ModelTreeNode> {
  readonly onDidChangeTreeData: vscode.Event<void>;

  constructor(private readonly catalog: ModelCatalog) {
    this.onDidChangeTreeData = catalog.onDidChange;
  }

  async getChildren(element?: ModelTreeNode): Promise<ModelTreeNode[]> {
    if (!element) return buildLineage(await this.catalog.models()).map((node) => ({ kind: 'model', node }));
    if (element.kind === 'section') return element.children;
    if (element.kind === 'leaf') return [];
    const { model, children } = element.node;
    const details = model.summary ? sections(model) : model.problem ? [{ kind: 'leaf' as const, label: model.problem }] : [];
    return [...details, ...children.map((node) => ({ kind: 'model' as const, node }))];
  }

  getTreeItem(element: ModelTreeNode): vscode.TreeItem {
    switch (element.kind) {
      case 'model':
        return modelItem(element.node);
      case 'section': {
        const item = new vscode.TreeItem(element.label, element.children.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        item.id = element.id;
        item.description = element.description;
        item.iconPath = new vscode.ThemeIcon(element.icon);
        return item;
      }
      case 'leaf': {
        const item = new vscode.TreeItem(element.label);
        item.description = element.description;
        item.tooltip = element.description ? `${element.label}  ${element.description}` : element.label;
        return item;
      }
    }
  }
}

function modelItem(node: LineageNode<CatalogModel>): vscode.TreeItem {
  const { model } = node;
  const item = new vscode.TreeItem(basename(model.path), vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `model:${model.path}`;
  item.resourceUri = model.uri;
  item.contextValue = node.role ? 'model.derived' : 'model.original';
  const lineage = node.role ? `${node.role}${node.method ? ` (${node.method})` : ''}${node.parentPath ? ` from ${basename(node.parentPath)}` : ''}` : '';
  const params = model.summary ? `${formatCount(model.summary.totalParams)} params` : '';
  item.description = [lineage, params].filter(Boolean).join(' · ');
  item.tooltip = new vscode.MarkdownString(
    [`**${vscode.workspace.asRelativePath(model.uri, true)}**`, `${model.format.toUpperCase()} · ${formatBytes(model.bytes)}`, lineage, model.problem]
      .filter(Boolean)
      .join('\n\n'),
  );
  item.iconPath = new vscode.ThemeIcon(model.problem ? 'warning' : node.role === 'reference' ? 'references' : node.role ? 'git-merge' : 'circuit-board');
  item.command = { command: 'lethe.models.openOverview', title: 'Open Model Overview', arguments: [model.uri] };
  return item;
}

function sections(model: CatalogModel): ModelTreeNode[] {
  const s = model.summary as ModelSummary;
  const io = (v: ModelSummary['inputs'][number]): ModelTreeNode => ({ kind: 'leaf', label: v.name, description: `${v.elemType} [${v.shape.join(', ')}]` });
  const id = (part: string) => `model:${model.path}:${part}`;
  const meta = Object.entries(s.metadata);
  return [
    { kind: 'section', id: id('inputs'), label: 'Inputs', description: String(s.inputs.length), icon: 'arrow-right', children: s.inputs.map(io) },
    { kind: 'section', id: id('outputs'), label: 'Outputs', description: String(s.outputs.length), icon: 'arrow-left', children: s.outputs.map(io) },
    {
      kind: 'section',
      id: id('layers'),
      label: 'Layers',
      description: `${s.layers.length} · ${formatCount(s.totalParams)} params`,
      icon: 'layers',
      children: s.layers.map((l) => ({ kind: 'leaf', label: l.name || l.op, description: l.params ? `${l.op} · ${formatCount(l.params)} params` : l.op })),
    },
    {
      kind: 'section',
      id: id('metadata'),
      label: 'Metadata',
      description: `${s.producer || 'unknown producer'} · opset ${s.opset}`,
      icon: 'tag',
      children: meta.map(([k, v]) => ({ kind: 'leaf', label: k, description: v })),
    },
  ];
}

function formatBytes(n: number): string {
  return n >= 2 ** 20 ? `${(n / 2 ** 20).toFixed(1)} MB` : `${(n / 1024).toFixed(0)} KB`;
}
