/**
 * Which files the report panel may open for the webview. Only paths the report itself names are
 * allowed (a webview message is untrusted input), resolved the way the report writes them:
 * absolute, relative to a workspace folder, or relative to the run folder and its parents.
 */
import { dirname, isAbsolute, join, normalize } from 'node:path';
import type { Report } from '../../engine/contracts/report';

export function referencedPaths(report: Report): Set<string> {
  const models = Object.values(report.models).flatMap((m) => (m ? [m.path] : []));
  const files = [...report.provenance.inputs, ...report.provenance.outputs].map((f) => f.path);
  return new Set([...models, report.dataset.path, ...files]);
}

/** Absolute candidates for a path the report names, most specific first; empty if it names none. */
export function openableCandidates(report: Report, requested: string, reportPath: string, workspaceFolders: string[]): string[] {
  if (!referencedPaths(report).has(requested)) return [];
  if (isAbsolute(requested)) return [normalize(requested)];
  const ancestors: string[] = [];
  for (let dir = dirname(reportPath); ; dir = dirname(dir)) {
    ancestors.push(dir);
    if (dirname(dir) === dir) break;
  }
  return [...new Set([...workspaceFolders, ...ancestors].map((base) => join(base, requested)))];
}
