/**
 * Lineage between checkpoints from the metadata Lethe writes into its outputs:
 * `lethe.parent` is the original's path relative to the checkpoint, `lethe.role` says what the checkpoint is.
 * Pure (no vscode) so the tree and the model overview share it.
 */
import { dirname, resolve } from 'node:path';

export interface LineageInput {
  path: string;
  metadata: Record<string, string>;
}

export interface LineageNode<T extends LineageInput> {
  model: T;
  /** 'unlearned' | 'reference' for checkpoints Lethe wrote; undefined for originals. */
  role?: string;
  method?: string;
  /** The parent's path when the metadata names one, even if that file is gone. */
  parentPath?: string;
  children: LineageNode<T>[];
}

export function parentPathOf(m: LineageInput): string | undefined {
  const parent = m.metadata['lethe.parent'];
  return parent ? resolve(dirname(m.path), parent) : undefined;
}

/** Roots are models whose parent is unknown or not in the list; derived checkpoints hang below their parent. */
export function buildLineage<T extends LineageInput>(models: T[]): LineageNode<T>[] {
  const nodes = new Map(
    models.map((m) => [
      resolve(m.path),
      { model: m, role: m.metadata['lethe.role'], method: m.metadata['lethe.method'], parentPath: parentPathOf(m), children: [] } as LineageNode<T>,
    ]),
  );
  const roots: LineageNode<T>[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentPath ? nodes.get(node.parentPath) : undefined;
    if (parent && parent !== node && !isAncestor(node, parent, nodes)) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

/** Guards against metadata cycles (a → b → a), which would otherwise hide both models. */
function isAncestor<T extends LineageInput>(candidate: LineageNode<T>, of: LineageNode<T>, nodes: Map<string, LineageNode<T>>): boolean {
  const seen = new Set<LineageNode<T>>();
  for (let p: LineageNode<T> | undefined = of; p && !seen.has(p); p = p.parentPath ? nodes.get(p.parentPath) : undefined) {
    if (p === candidate) return true;
    seen.add(p);
  }
  return false;
}
