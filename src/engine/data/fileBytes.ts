/** Reads a data file whole, gunzipping it when it starts with the gzip magic, with bounded output. */
import { readFile } from 'node:fs/promises';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { LetheError } from '../util/errors';

const gunzipAsync = promisify(gunzip);

/** Largest decompressed file accepted: past this a gzip bomb, or a dataset that cannot fit in memory. */
export const MAX_FILE_BYTES = 2 ** 32 - 1;

export async function readFileBytes(file: string): Promise<Uint8Array> {
  try {
    return await readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new LetheError(code === 'ENOENT' ? 'file not found' : `cannot read file (${code ?? String(e)})`, file);
  }
}

export async function readMaybeGzipped(file: string, maxBytes = MAX_FILE_BYTES): Promise<Uint8Array> {
  const raw = await readFileBytes(file);
  if (raw.length < 2 || raw[0] !== 0x1f || raw[1] !== 0x8b) return raw;
  try {
    return await gunzipAsync(raw, { maxOutputLength: maxBytes });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') throw new LetheError(`decompresses to more than ${maxBytes} bytes`, file);
    throw new LetheError(`corrupt or truncated gzip data (${(e as Error).message})`, file);
  }
}

/** Longest text file accepted: V8 strings stop at about 2^29 characters. */
const MAX_TEXT_BYTES = 2 ** 29 - 24;

/** Text of a (possibly gzipped) file, without a UTF-8 byte-order mark. */
export async function readText(file: string, maxBytes = MAX_TEXT_BYTES): Promise<string> {
  const bytes = await readMaybeGzipped(file);
  if (bytes.length > maxBytes) throw new LetheError(`${bytes.length} bytes is too large for a text file (at most ${maxBytes}); store large data as NPY or IDX`, file);
  const text = new TextDecoder('utf-8').decode(bytes);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
