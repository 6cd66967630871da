/** Turns a zod validation failure into a LetheError that names the file and the offending key. */
import type { z } from 'zod';
import { LetheError } from '../util/errors';

/** `selection.ids[3]`-style path, as a user would look for it in the file. */
function formatKeyPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += (out ? '.' : '') + String(key);
  }
  return out;
}

export function zodToLetheError(error: z.ZodError, file: string): LetheError {
  const issue = error.issues[0];
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => formatKeyPath([...issue.path, k]));
    const others = keys.length > 1 ? ` (also ${keys.slice(1).join(', ')})` : '';
    return new LetheError(`unknown key${others}`, file, keys[0]);
  }
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problem${error.issues.length > 2 ? 's' : ''})` : '';
  return new LetheError(issue.message + more, file, formatKeyPath(issue.path) || 'top level');
}
