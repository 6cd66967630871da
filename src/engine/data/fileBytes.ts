/**
 * Reads a data file whole (a regular file only: see util/files.ts), gunzipping it when it starts with the gzip
 * magic. What a file decompresses to is bounded while it inflates, by the memory limit (util/memoryLimit.ts).
 */
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { LetheError } from '../util/errors';
import { MAX_FILE_BYTES, readRegularFile } from '../util/files';
import { decompressedBudget } from '../util/memoryLimit';

const gunzipAsync = promisify(gunzip);

export function readFileBytes(file: string): Promise<Uint8Array> {
  return readRegularFile(file, 'data file', decompressedBudget(MAX_FILE_BYTES));
}

/** zlib stops inflating as soon as its output passes `maxOutputLength`, so a bomb costs at most the budget. */
export async function readMaybeGzipped(file: string, maxBytes = MAX_FILE_BYTES): Promise<Uint8Array> {
  const raw = await readFileBytes(file);
  if (raw.length < 2 || raw[0] !== 0x1f || raw[1] !== 0x8b) return raw;
  const budget = decompressedBudget(maxBytes);
  try {
    return await gunzipAsync(raw, { maxOutputLength: budget });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(budget, file);
    throw new LetheError('corrupt or truncated gzip data', file);
  }
}

/** The refusal of a decompressed size past the budget, naming the knob that raises it. */
export function tooLarge(budget: number, file: string): LetheError {
  return new LetheError(`decompresses to more than ${budget} bytes (half the memory limit; see LETHE_MAX_MEMORY_MB)`, file);
}

/** Longest text file accepted: V8 strings stop at about 2^29 characters. */
const MAX_TEXT_BYTES = 2 ** 29 - 24;

/** Text of a (possibly gzipped) file, without a UTF-8 byte-order mark. */
export async function readText(file: string, maxBytes = MAX_TEXT_BYTES): Promise<string> {
  const bytes = await readMaybeGzipped(file, maxBytes + 1);
  if (bytes.length > maxBytes) throw new LetheError(`${bytes.length} bytes is too large for a text file (at most ${maxBytes}); store large data as NPY or IDX`, file);
  const text = new TextDecoder('utf-8').decode(bytes);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
