/**
 * IDX files (the MNIST format): magic 0x0000 + type byte + dimension count, big-endian uint32 dimensions,
 * then the values in C order, big-endian. Dimensions are checked against the file size before anything is allocated.
 */
import { LetheError } from '../util/errors';
import { readMaybeGzipped } from './fileBytes';

export type IdxValues = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

export interface IdxArray {
  dims: number[];
  /** True for unsigned bytes (type 0x08), the only type whose natural pixel scale is 1/255. */
  unsignedBytes: boolean;
  values: IdxValues;
}

const TYPES: Record<number, { name: string; size: number }> = {
  0x08: { name: 'unsigned byte', size: 1 },
  0x09: { name: 'signed byte', size: 1 },
  0x0b: { name: 'short', size: 2 },
  0x0c: { name: 'int', size: 4 },
  0x0d: { name: 'float', size: 4 },
  0x0e: { name: 'double', size: 8 },
};

export function parseIdx(bytes: Uint8Array, file: string): IdxArray {
  if (bytes.length < 4) throw new LetheError(`too short for an IDX header (${bytes.length} bytes)`, file, 'header');
  const type = TYPES[bytes[2]];
  const ndims = bytes[3];
  if (bytes[0] !== 0 || bytes[1] !== 0 || !type || ndims < 1) {
    throw new LetheError('not an IDX file (its first bytes are not an IDX magic number)', file, 'header');
  }
  const headerBytes = 4 + 4 * ndims;
  if (bytes.length < headerBytes) throw new LetheError(`truncated header: ${ndims} dimensions declared, file has ${bytes.length} bytes`, file, 'header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const available = (bytes.length - headerBytes) / type.size;
  const dims: number[] = [];
  let count = 1;
  for (let d = 0; d < ndims; d++) {
    const dim = view.getUint32(4 + 4 * d, false);
    dims.push(dim);
    count *= dim;
  }
  if (count !== available) {
    const what = count > available ? 'truncated' : 'trailing bytes';
    throw new LetheError(
      `${what}: dimensions ${dims.join('×')} need ${count * type.size} bytes of ${type.name} data, file has ${bytes.length - headerBytes}`,
      file,
      'header',
    );
  }
  const body = bytes.subarray(headerBytes);
  return { dims, unsignedBytes: bytes[2] === 0x08, values: decodeBigEndian(bytes[2], body, count) };
}

function decodeBigEndian(type: number, body: Uint8Array, count: number): IdxValues {
  if (type === 0x08) return body;
  if (type === 0x09) return new Int8Array(body.buffer, body.byteOffset, count);
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  switch (type) {
    case 0x0b: {
      const out = new Int16Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt16(2 * i, false);
      return out;
    }
    case 0x0c: {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt32(4 * i, false);
      return out;
    }
    case 0x0d: {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(4 * i, false);
      return out;
    }
    default: {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(8 * i, false);
      return out;
    }
  }
}

export async function readIdx(file: string): Promise<IdxArray> {
  return parseIdx(await readMaybeGzipped(file), file);
}
