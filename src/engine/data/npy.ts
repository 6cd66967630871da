/**
 * NumPy `.npy` arrays (format versions 1–3): the header dict is parsed here, C order only, little-endian numeric
 * dtypes only; the declared shape is checked against the bytes present before anything is allocated.
 */
import { LetheError } from '../util/errors';

export type NpyValues = Uint8Array | Int32Array | Float32Array | Float64Array;

export interface NpyArray {
  shape: number[];
  dtype: string;
  values: NpyValues;
}

const ITEM_SIZES: Record<string, number> = { '<f4': 4, '<f8': 8, '|u1': 1, '<u1': 1, '<i4': 4, '<i8': 8 };
const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

export function parseNpy(bytes: Uint8Array, file: string): NpyArray {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) throw new LetheError('not a .npy file (bad magic string)', file, 'header');
  const major = bytes[6];
  if (major < 1 || major > 3) throw new LetheError(`unsupported .npy format version ${major}.${bytes[7]}`, file, 'header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lengthBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lengthBytes) throw new LetheError('truncated header', file, 'header');
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataStart = 8 + lengthBytes + headerLength;
  if (dataStart > bytes.length) throw new LetheError(`truncated header: declares ${headerLength} bytes`, file, 'header');
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(8 + lengthBytes, dataStart));
  const { dtype, shape } = parseHeaderDict(header, file);
  const itemSize = ITEM_SIZES[dtype];
  const count = shape.reduce((p, d) => p * d, 1);
  const available = bytes.length - dataStart;
  if (count * itemSize !== available) {
    throw new LetheError(`${count * itemSize > available ? 'truncated' : 'trailing bytes'}: shape (${shape.join(', ')}) of ${dtype} needs ${count * itemSize} data bytes, file has ${available}`, file, 'data');
  }
  return { shape, dtype, values: decodeValues(dtype, bytes.subarray(dataStart), count, file) };
}

function parseHeaderDict(header: string, file: string): { dtype: string; shape: number[] } {
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined) throw new LetheError('structured or object dtypes are not supported; save a plain numeric array', file, 'header descr');
  if (fortran === undefined || shapeText === undefined) throw new LetheError(`malformed header: no ${fortran === undefined ? "'fortran_order'" : "'shape'"} entry`, file, 'header');
  if (fortran === 'True') throw new LetheError('Fortran-order arrays are not supported; save with np.ascontiguousarray(a)', file, 'header fortran_order');
  if (!(descr in ITEM_SIZES)) {
    const why = descr.startsWith('>') ? 'big-endian data is not supported' : descr.includes('O') ? 'object arrays are not supported' : 'unsupported dtype';
    // A dtype is named only when it looks like one: errors never quote arbitrary bytes of a file.
    const named = /^[<>|=]?[a-zA-Z]\d{0,2}$/.test(descr) ? `: '${descr}'` : '';
    throw new LetheError(`${why}${named} (use <f4, <f8, |u1, <i4 or <i8)`, file, 'header descr');
  }
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s !== '').map((s) => (/^\d+$/.test(s) ? Number(s) : NaN));
  if (shape.some((d) => !Number.isSafeInteger(d))) throw new LetheError('malformed shape: not a tuple of whole numbers', file, 'header shape');
  return { dtype: descr, shape };
}

/** A copy of the bytes in a fresh, aligned buffer (Buffer#slice would share memory, and the offset may be unaligned). */
function alignedCopy(body: Uint8Array): ArrayBuffer {
  return new Uint8Array(body).buffer;
}

function decodeValues(dtype: string, body: Uint8Array, count: number, file: string): NpyValues {
  switch (dtype) {
    case '|u1':
    case '<u1':
      return body;
    case '<f4':
      return new Float32Array(alignedCopy(body), 0, count);
    case '<f8':
      return new Float64Array(alignedCopy(body), 0, count);
    case '<i4':
      return new Int32Array(alignedCopy(body), 0, count);
    default: {
      const wide = new BigInt64Array(alignedCopy(body), 0, count);
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) {
        const v = Number(wide[i]);
        if (!Number.isSafeInteger(v)) throw new LetheError(`int64 value ${wide[i]} at flat index ${i} is too large`, file, 'data');
        out[i] = v;
      }
      return out;
    }
  }
}
