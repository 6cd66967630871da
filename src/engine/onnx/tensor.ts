/** TensorProto ⇄ IR Tensor. Data is always written back as raw_data (little-endian, what onnxruntime reads fastest). */
import { DataType, type Tensor, type TensorData, numel } from '../graph/ir';
import { toNumber, type TensorProto } from './proto';

const BYTES_PER_ELEMENT: Record<number, number> = {
  [DataType.FLOAT]: 4,
  [DataType.UINT8]: 1,
  [DataType.INT8]: 1,
  [DataType.INT32]: 4,
  [DataType.INT64]: 8,
  [DataType.BOOL]: 1,
  [DataType.DOUBLE]: 8,
};

export const DATA_TYPE_NAMES: Record<number, string> = {
  1: 'float32', 2: 'uint8', 3: 'int8', 4: 'uint16', 5: 'int16', 6: 'int32', 7: 'int64', 8: 'string',
  9: 'bool', 10: 'float16', 11: 'float64', 12: 'uint32', 13: 'uint64', 16: 'bfloat16',
};

function allocate(dataType: number, n: number): TensorData {
  switch (dataType) {
    case DataType.FLOAT: return new Float32Array(n);
    case DataType.INT32: return new Int32Array(n);
    case DataType.INT64: return new BigInt64Array(n);
    case DataType.UINT8:
    case DataType.BOOL: return new Uint8Array(n);
    case DataType.INT8: return new Int8Array(n);
    case DataType.DOUBLE: return new Float64Array(n);
    default: throw new Error(`unsupported tensor data type ${DATA_TYPE_NAMES[dataType] ?? dataType}`);
  }
}

/**
 * Decode a TensorProto. `raw` supplies external data when the tensor has data_location = EXTERNAL
 * (resolved by the caller, which confines the path).
 */
export function tensorFromProto(p: TensorProto, where: string, raw?: Uint8Array): Tensor {
  const dims = (p.dims ?? []).map(toNumber);
  if (dims.some((d) => !Number.isSafeInteger(d) || d < 0)) throw new Error(`${where}: invalid dims [${dims.join(', ')}]`);
  const n = numel(dims);
  const dataType = p.data_type ?? 0;
  const width = BYTES_PER_ELEMENT[dataType];
  if (width === undefined) throw new Error(`${where}: unsupported tensor data type ${DATA_TYPE_NAMES[dataType] ?? dataType}`);
  const bytes = raw ?? (p.raw_data && p.raw_data.length > 0 ? p.raw_data : undefined);
  if (bytes) {
    if (bytes.length !== n * width) {
      throw new Error(`${where}: holds ${bytes.length} bytes but dims [${dims.join(', ')}] need ${n * width}`);
    }
    // Copy into an aligned buffer: raw_data views into the file at arbitrary offsets.
    const data = allocate(dataType, n);
    new Uint8Array(data.buffer).set(bytes);
    return { name: p.name ?? '', dataType, dims, data };
  }
  const source: ArrayLike<number | { toNumber(): number }> | undefined =
    dataType === DataType.FLOAT ? p.float_data
    : dataType === DataType.DOUBLE ? p.double_data
    : dataType === DataType.INT64 ? p.int64_data
    : p.int32_data;
  const len = source?.length ?? 0;
  // Checked before allocating: absurd dims with no data behind them must not reserve gigabytes.
  if (len !== n) throw new Error(`${where}: holds ${len} values but dims [${dims.join(', ')}] need ${n}`);
  const data = allocate(dataType, n);
  for (let i = 0; i < n; i++) {
    const v = source![i];
    if (data instanceof BigInt64Array) data[i] = BigInt(toNumber(v));
    else data[i] = toNumber(v);
  }
  return { name: p.name ?? '', dataType, dims, data };
}

export function tensorToProto(t: Tensor, keep?: TensorProto): TensorProto {
  const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  // Keep doc strings and unknown fields of the original; drop the old payload fields.
  const base: TensorProto = keep ? { ...keep } : {};
  delete base.float_data; delete base.int32_data; delete base.int64_data; delete base.double_data;
  delete base.uint64_data; delete base.external_data; delete base.data_location;
  const out: TensorProto & { $unknowns?: unknown } = { ...base, name: t.name, dims: t.dims.slice(), data_type: t.dataType, raw_data: bytes };
  const unknowns = (keep as { $unknowns?: unknown } | undefined)?.$unknowns;
  if (unknowns) Object.defineProperty(out, '$unknowns', { value: unknowns, enumerable: false, writable: true });
  return out;
}

