/** The versions a run records in its provenance and its checkpoints' lineage. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const LETHE_VERSION: string = readVersion();

function readVersion(): string {
  for (const p of [join(__dirname, '..', 'package.json'), join(__dirname, '..', '..', '..', 'package.json')]) {
    try {
      return (JSON.parse(readFileSync(p, 'utf8')) as { version: string }).version;
    } catch {
      /* try the next layout (bundled dist/ or source tree) */
    }
  }
  return '0.0.0';
}

export function onnxruntimeVersion(): string {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('onnxruntime-node/package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
