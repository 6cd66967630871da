/**
 * The one way Lethe opens an input file: it must be a regular file (a FIFO would hang the read, /dev/zero never
 * ends, a directory or socket cannot be read), checked before reading by stat, then again on the open handle
 * (opened non-blocking, so a file swapped for a FIFO in between cannot hang the open), with its size bounded.
 */
import { constants, type Stats } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { LetheError } from './errors';

/** Largest file read whole: Node's Buffer limit (4 GiB − 1 bytes). */
export const MAX_FILE_BYTES = 2 ** 32 - 1;

function kindOf(info: Stats): string | undefined {
  if (info.isFile()) return undefined;
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

function refuseSpecial(info: Stats, file: string, what: string): void {
  const kind = kindOf(info);
  if (kind) throw new LetheError(`the ${what} is ${kind}, not a regular file; refused`, file);
}

const cannotRead = (e: unknown, file: string, what: string) =>
  new LetheError(`cannot read ${what} (${(e as NodeJS.ErrnoException).code ?? 'unreadable'})`, file);

/** An open handle on a regular file and its size; the caller closes it. */
export async function openRegularFile(file: string, what = 'file'): Promise<{ handle: FileHandle; size: number }> {
  refuseSpecial(await stat(file).catch((e: unknown) => {
    throw cannotRead(e, file, what);
  }), file, what);
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK).catch((e: unknown) => {
    throw cannotRead(e, file, what);
  });
  try {
    const info = await handle.stat();
    refuseSpecial(info, file, what);
    return { handle, size: info.size };
  } catch (e) {
    await handle.close();
    throw e;
  }
}

/**
 * A regular file's bytes, at most `maxBytes`. Files of /proc report size 0 and still hold bytes, so the read runs
 * to the end of the file rather than trusting the size, and stops past the bound.
 */
export async function readRegularFile(file: string, what = 'file', maxBytes = MAX_FILE_BYTES): Promise<Uint8Array> {
  const { handle, size } = await openRegularFile(file, what);
  try {
    if (size > maxBytes) throw new LetheError(`the ${what} is ${size} bytes, more than the ${maxBytes} accepted`, file);
    let buffer = Buffer.allocUnsafe(Math.max(size, 64 * 1024));
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length >= maxBytes) throw new LetheError(`the ${what} holds more than the ${maxBytes} bytes accepted`, file);
        const bigger = Buffer.allocUnsafe(Math.min(maxBytes, buffer.length * 2));
        buffer.copy(bigger, 0, 0, length);
        buffer = bigger;
      }
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null).catch((e: unknown) => {
        throw cannotRead(e, file, what);
      });
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}

/**
 * `length` bytes (default: the rest of the file) at `offset` of a regular file, checked against its size before
 * anything is allocated: only the range is read, however large the file.
 */
export async function readRegularFileRange(file: string, offset: number, requested: number | undefined, what = 'file', maxBytes = MAX_FILE_BYTES): Promise<Uint8Array> {
  const { handle, size } = await openRegularFile(file, what);
  try {
    const length = requested ?? size - offset;
    if (!(Number.isSafeInteger(offset) && Number.isSafeInteger(length) && offset >= 0 && length >= 0 && offset + length <= size)) {
      throw new LetheError(`the range ${offset}+${length} exceeds the ${what} (${size} bytes)`, file);
    }
    if (length > maxBytes) throw new LetheError(`a range of ${length} bytes is more than the ${maxBytes} accepted`, file);
    const out = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const { bytesRead } = await handle.read(out, done, length - done, offset + done).catch((e: unknown) => {
        throw cannotRead(e, file, what);
      });
      if (bytesRead === 0) throw new LetheError(`the ${what} ended before the range ${offset}+${length} (it changed while read)`, file);
      done += bytesRead;
    }
    return out;
  } finally {
    await handle.close();
  }
}
