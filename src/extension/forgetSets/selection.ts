/** Pure helpers on forget-set selections: describing their size and adding to an existing one. */
import type { ForgetSetFile } from '../../engine/data/types';

export type Selection = ForgetSetFile['selection'];

export function describeSelection(s: Selection): string {
  const n = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;
  switch (s.kind) {
    case 'ids':
      return n(s.ids.length, 'id');
    case 'indices':
      return n(s.indices.length, 'index', 'indices');
    case 'files':
      return n(s.files.length, 'file');
    case 'classes':
      return `${n(s.classes.length, 'class', 'classes')}: ${s.classes.join(', ')}`;
    case 'rows':
      return `${n(s.rows.length, 'row')} of ${s.file}`;
  }
}

/** The union of two selections of the same kind (and, for rows, the same file); undefined when they cannot merge. */
export function mergeSelections(a: Selection, b: Selection): Selection | undefined {
  const union = <T>(x: T[], y: T[]) => [...new Set([...x, ...y])];
  if (a.kind === 'ids' && b.kind === 'ids') return { kind: 'ids', ids: union(a.ids, b.ids) };
  if (a.kind === 'indices' && b.kind === 'indices') return { kind: 'indices', indices: union(a.indices, b.indices).sort((p, q) => p - q) };
  if (a.kind === 'files' && b.kind === 'files') return { kind: 'files', files: union(a.files, b.files).sort() };
  if (a.kind === 'classes' && b.kind === 'classes') return { kind: 'classes', classes: union(a.classes, b.classes) };
  if (a.kind === 'rows' && b.kind === 'rows' && a.file === b.file) return { kind: 'rows', file: a.file, rows: union(a.rows, b.rows).sort((p, q) => p - q) };
  return undefined;
}

/** One id or index per line (commas and whitespace also separate); all integers → indices, otherwise ids. */
export function parseIdList(text: string): Selection | undefined {
  const tokens = text
    .split(/[\s,;]+/)
    .map((t) => t.trim().replace(/^["']|["']$/g, ''))
    .filter(Boolean);
  const isIndex = (t: string) => /^\d+$/.test(t);
  if (tokens.length > 1 && !isIndex(tokens[0]) && tokens.slice(1).every(isIndex)) tokens.shift(); // a header such as "index"
  if (tokens.length === 0) return undefined;
  if (tokens.every(isIndex)) return { kind: 'indices', indices: [...new Set(tokens.map(Number))].sort((a, b) => a - b) };
  return { kind: 'ids', ids: [...new Set(tokens)] };
}
