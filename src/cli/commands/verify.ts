import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadVerifyKey, verifyRun, VERIFY_MAX_BYTES } from '../../engine/report/provenance';
import { LetheError } from '../../engine/util/errors';
import { print } from '../common';

export const help = `lethe verify RUN_DIR [--inputs] [--key PUB.pem] [--json]
  Rechecks RUN_DIR against its provenance.json: the digest of provenance.json itself; the SHA-256 of every
  output (checkpoints, report.json, report.html); that every file in the run folder is listed; that report.json
  carries the same provenance and model hashes. Outputs must be regular files inside RUN_DIR (no absolute paths,
  no "..", no links), at most ${VERIFY_MAX_BYTES / 1024 ** 3} GiB each; nothing outside RUN_DIR is read unless asked:
  --inputs      also hash the inputs (model, data, forget set, job file), regular files only
  --key PUB.pem check provenance.sig (written by lethe unlearn --sign-key) against this Ed25519 public key
  Digests catch changes, not a forger who recomputes them all: only --key does. Exit code 0 when everything
  matches, 3 on a mismatch, 1 when RUN_DIR is not a run Lethe can verify.`;

export async function run(argv: string[]): Promise<void> {
  let values: { json?: boolean; inputs?: boolean; key?: string };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: argv, options: { json: { type: 'boolean' }, inputs: { type: 'boolean' }, key: { type: 'string' } }, allowPositionals: true, strict: true }));
  } catch (e) {
    throw new LetheError(`${(e as Error).message.replace(/\s*\n\s*/g, ' ')} (see "lethe verify --help")`);
  }
  if (positionals.length !== 1) throw new LetheError('give exactly one run folder: lethe verify RUN_DIR');
  const publicKey = values.key ? await loadVerifyKey(resolve(values.key)) : undefined;
  const result = await verifyRun(resolve(positionals[0]), { inputs: values.inputs === true, publicKey });
  print(values.json === true, result, () => {
    if (!result.ok) return `NOT verified: ${result.mismatches.join('; ')}`;
    const signature = { verified: '; provenance.sig verified with the key', 'not checked': '; provenance.sig not checked (give --key PUB.pem)', none: '' }[result.signature];
    const inputs = result.inputsUnchecked > 0 ? `; ${result.inputsUnchecked} inputs outside the run folder not checked (--inputs checks them)` : '';
    return `verified: ${result.checked} files match provenance.json${signature}${inputs}`;
  });
  if (!result.ok) process.exitCode = 3;
}
