/** Read a job spec file (`*.lethe.yaml|json`) with errors that name the file and the key. */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { zodToLetheError } from '../data/zodError';
import { LetheError } from '../util/errors';
import { JobSpec } from '../contracts/jobSpec';

export async function loadJobFile(file: string): Promise<JobSpec> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new LetheError(`cannot read job file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, file);
  }
  let raw: unknown;
  try {
    raw = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text, { logLevel: 'error' }); // warnings would print outside the one error line
  } catch (e) {
    throw new LetheError(`not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${(e as Error).message.split('\n')[0]}`, file);
  }
  return parseJobSpec(raw, file);
}

export function parseJobSpec(raw: unknown, file: string): JobSpec {
  const r = JobSpec.safeParse(raw);
  if (!r.success) throw zodToLetheError(r.error, file);
  return r.data;
}
