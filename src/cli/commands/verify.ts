import { resolve } from 'node:path';
import { verifyRun } from '../../engine/report/provenance';
import { LetheError } from '../../engine/util/errors';
import { print } from '../common';

export const help = `lethe verify RUN_DIR [--json]
  Recomputes the SHA-256 of every input and output recorded in RUN_DIR/provenance.json and reports mismatches.
  Exit code 0 when everything matches, 3 otherwise.`;

export async function run(argv: string[]): Promise<void> {
  const json = argv.includes('--json');
  const dirs = argv.filter((a) => !a.startsWith('--'));
  if (dirs.length !== 1) throw new LetheError('give exactly one run folder: lethe verify RUN_DIR');
  const result = await verifyRun(resolve(dirs[0]));
  print(json, result, () => (result.ok ? `verified: ${result.checked} files match their recorded SHA-256` : `NOT verified:\n${result.mismatches.map((m) => `  ${m}`).join('\n')}`));
  if (!result.ok) process.exitCode = 3;
}
