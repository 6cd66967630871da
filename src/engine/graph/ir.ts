/**
 * Lethe's in-memory graph: a thin, typed view of an ONNX graph that autodiff, the trainer and the
 * TF.js converter work on. `onnx/` converts it from and to ModelProto bytes, keeping everything it
 * does not model (metadata, doc strings, unknown fields) in `source` so a round trip loses nothing.
 */

/** ONNX TensorProto.DataType codes used by Lethe. */
export const DataType = {
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  INT32: 6,
  INT64: 7,
  BOOL: 9,
  FLOAT16: 10,
  DOUBLE: 11,
} as const;

export type TensorData = Float32Array | Int32Array | BigInt64Array | Uint8Array | Int8Array | Float64Array;

export interface Tensor {
  name: string;
  dataType: number;
  dims: number[];
  data: TensorData;
}

export type AttrValue =
  | { type: 'float'; value: number }
  | { type: 'int'; value: number }
  | { type: 'string'; value: string }
  | { type: 'floats'; value: number[] }
  | { type: 'ints'; value: number[] }
  | { type: 'strings'; value: string[] }
  | { type: 'tensor'; value: Tensor }
  | { type: 'graph'; value: unknown };

export interface Node {
  name: string;
  opType: string;
  domain: string;
  inputs: string[]; // "" = omitted optional input
  outputs: string[];
  attrs: Record<string, AttrValue>;
}

/** A dimension: a number, or a symbolic name such as "batch". */
export type Dim = number | string;

export interface ValueInfo {
  name: string;
  elemType: number;
  shape: Dim[] | undefined;
}

export interface Graph {
  name: string;
  nodes: Node[];
  inputs: ValueInfo[]; // graph inputs that are not initializers
  outputs: ValueInfo[];
  initializers: Map<string, Tensor>;
}

export interface Model {
  graph: Graph;
  opsets: { domain: string; version: number }[];
  irVersion: number;
  producerName: string;
  producerVersion: string;
  metadata: Record<string, string>;
  /** File the model came from, for error messages. */
  file?: string;
  /** The decoded ModelProto it came from (keeps unknown fields and everything not modelled above). */
  source?: unknown;
}

export function numel(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) n *= d;
  return n;
}
