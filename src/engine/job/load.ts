/**
 * Read a job spec file (`*.lethe.yaml|json`) with errors that name the file and the key. Job files are small: past
 * 1 MiB one is refused before parsing, so no job file can keep the CLI or the extension busy.
 */
import { zodToLetheError } from '../data/zodError';
import { LetheError } from '../util/errors';
import { readRegularFile } from '../util/files';
import { parseJsonText, parseYamlText } from '../util/textFormats';
import { JobSpec } from '../contracts/jobSpec';

export const MAX_JOB_FILE_BYTES = 2 ** 20;

export async function loadJobFile(file: string): Promise<JobSpec> {
  const text = new TextDecoder().decode(await readRegularFile(file, 'job file', MAX_JOB_FILE_BYTES));
  return parseJobSpec(file.endsWith('.json') ? parseJsonText(text, file) : parseYamlText(text, file), file);
}

export function parseJobSpec(raw: unknown, file: string): JobSpec {
  refuseProtoKeys(raw, file);
  const r = JobSpec.safeParse(raw);
  if (!r.success) throw zodToLetheError(r.error, file);
  return r.data;
}

/**
 * No key of a job is called `__proto__`, but zod's records drop such a key silently (as a plain object would take it
 * for its prototype), so it would pass unseen: it is refused as the unknown key it is, wherever it sits.
 */
function refuseProtoKeys(raw: unknown, file: string): void {
  const stack: { value: unknown; path: string }[] = [{ value: raw, path: '' }];
  const seen = new Set<object>(); // YAML aliases can share, even nest, a node
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value !== 'object' || value === null || seen.has(value)) continue;
    seen.add(value);
    for (const key of Object.keys(value)) {
      const at = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
      if (key === '__proto__') throw new LetheError('unknown key', file, at);
      stack.push({ value: (value as Record<string, unknown>)[key], path: at });
    }
  }
}
