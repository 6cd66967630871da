/** Read `.onnx` files into the IR, with errors that name the file and the place. */
import protobuf from 'protobufjs';
import { realpath } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import type { AttrValue, Dim, Graph, Model, Node, Tensor, ValueInfo } from '../graph/ir';
import { LetheError } from '../util/errors';
import { readRegularFile, readRegularFileRange } from '../util/files';
import { AttrType, ModelProtoType, toNumber, type AttributeProto, type ModelProto, type NodeProto, type TensorProto, type ValueInfoProto } from './proto';
import { tensorFromProto } from './tensor';

/** The proto each IR node/tensor came from, so writing back keeps doc strings and unknown fields. */
export const nodeSource = new WeakMap<Node, NodeProto>();
export const tensorSource = new WeakMap<Tensor, TensorProto>();
export const attrSource = new WeakMap<AttrValue, AttributeProto>();

const textDecoder = new TextDecoder();

/** Protobuf's limit for one message, and so for a model file and for one tensor's external data. */
const MAX_PROTO_BYTES = 2 ** 31 - 1;

export async function readModelFile(file: string): Promise<Model> {
  const bytes = await readRegularFile(file, 'model', MAX_PROTO_BYTES);
  const proto = decodeModelProto(bytes, file);
  const external = await loadExternalData(proto, file);
  return modelFromProto(proto, file, external);
}

export function decodeModelProto(bytes: Uint8Array, file?: string): ModelProto {
  const reader = protobuf.Reader.create(bytes);
  reader.discardUnknown = false; // keep fields this schema does not know, to write them back
  try {
    return ModelProtoType.decode(reader) as unknown as ModelProto;
  } catch (e) {
    throw new LetheError(`not a valid ONNX model: protobuf decoding failed (${(e as Error).message})`, file);
  }
}

export function decodeModel(bytes: Uint8Array, file?: string): Model {
  return modelFromProto(decodeModelProto(bytes, file), file, new Map());
}

/** External tensor data, read from files that must stay inside the model's own folder. */
async function loadExternalData(proto: ModelProto, file: string): Promise<Map<TensorProto, Uint8Array>> {
  const out = new Map<TensorProto, Uint8Array>();
  const folder = await realpath(dirname(resolve(file)));
  for (const t of proto.graph?.initializer ?? []) {
    if (t.data_location !== 1) continue;
    const entries = new Map((t.external_data ?? []).map((e) => [e.key ?? '', e.value ?? '']));
    const location = entries.get('location');
    const where = `initializer "${t.name}"`;
    if (!location) throw new LetheError('external data without a location', file, where);
    let target: string;
    try {
      target = await realpath(resolve(folder, location));
    } catch {
      throw new LetheError(`external data file "${location}" not found`, file, where);
    }
    if (!target.startsWith(folder + sep)) {
      throw new LetheError(`external data "${location}" points outside the model's folder; refused`, file, where);
    }
    const offset = Number(entries.get('offset') ?? 0);
    const length = entries.has('length') ? Number(entries.get('length')) : undefined;
    try {
      out.set(t, await readRegularFileRange(target, offset, length, 'external data file', MAX_PROTO_BYTES));
    } catch (e) {
      // Said from the model's side: which initializer, and the file as the model names it.
      throw new LetheError(`external data "${location}": ${(e as LetheError).reason}`, file, where);
    }
  }
  return out;
}

function modelFromProto(proto: ModelProto, file: string | undefined, external: Map<TensorProto, Uint8Array>): Model {
  const g = proto.graph;
  if (!g) throw new LetheError('the model has no graph', file);
  const initializers = new Map<string, Tensor>();
  for (const [i, t] of (g.initializer ?? []).entries()) {
    const where = `initializer ${i} "${t.name ?? ''}"`;
    let tensor: Tensor;
    try {
      tensor = tensorFromProto(t, where, external.get(t));
    } catch (e) {
      throw new LetheError((e as Error).message.replace(`${where}: `, ''), file, where);
    }
    tensorSource.set(tensor, t);
    initializers.set(tensor.name, tensor);
  }
  if ((g.sparse_initializer ?? []).length > 0) throw new LetheError('sparse initializers are not supported', file);
  const nodes = (g.node ?? []).map((n, i) => nodeFromProto(n, i, file));
  const graphInputs = (g.input ?? []).map((v) => v.name ?? '');
  checkReferences(nodes, [...graphInputs, ...initializers.keys()], (g.output ?? []).map((v) => v.name ?? ''), file);
  const graph: Graph = {
    name: g.name ?? '',
    nodes,
    inputs: (g.input ?? []).filter((v) => !initializers.has(v.name ?? '')).map(valueInfoFromProto),
    outputs: (g.output ?? []).map(valueInfoFromProto),
    initializers,
  };
  const metadata: Record<string, string> = {};
  for (const e of proto.metadata_props ?? []) metadata[e.key ?? ''] = e.value ?? '';
  return {
    graph,
    opsets: (proto.opset_import ?? []).map((o) => ({ domain: o.domain ?? '', version: toNumber(o.version) })),
    irVersion: toNumber(proto.ir_version),
    producerName: proto.producer_name ?? '',
    producerVersion: proto.producer_version ?? '',
    metadata,
    file,
    source: proto,
  };
}

/**
 * Every value a node reads must be a graph input, an initializer or the output of an earlier node (ONNX
 * requires topological order), every value is defined once (ONNX graphs are in SSA form: a second writer, or a
 * node writing over an initializer, would leave two meanings to one name), and the graph has outputs, each
 * defined: a corrupted or hand-edited name is refused here, naming the node, instead of surfacing later.
 */
function checkReferences(nodes: Node[], defined: string[], outputs: string[], file: string | undefined): void {
  const known = new Set(defined);
  for (const [i, node] of nodes.entries()) {
    const where = `node ${i} "${node.name}" (${node.opType})`;
    const missing = node.inputs.find((v) => v !== '' && !known.has(v));
    if (missing !== undefined) throw new LetheError(`reads "${missing}", which no graph input, initializer or earlier node defines`, file, where);
    for (const v of node.outputs) {
      if (v === '') continue; // an optional output left out
      if (known.has(v)) throw new LetheError(`writes "${v}", which a graph input, an initializer or an earlier node already defines`, file, where);
      known.add(v);
    }
  }
  if (outputs.length === 0) throw new LetheError('the graph has no outputs', file);
  const undefinedOutput = outputs.find((v) => !known.has(v));
  if (undefinedOutput !== undefined) throw new LetheError(`graph output "${undefinedOutput}" is not produced by any node`, file);
}

function nodeFromProto(n: NodeProto, index: number, file: string | undefined): Node {
  const node: Node = {
    name: n.name || `${n.op_type ?? 'node'}_${index}`,
    opType: n.op_type ?? '',
    domain: n.domain ?? '',
    inputs: n.input ?? [],
    outputs: n.output ?? [],
    attrs: {},
  };
  for (const a of n.attribute ?? []) {
    const where = `node ${index} "${node.name}" (${node.opType}), attribute "${a.name}"`;
    if (a.ref_attr_name) throw new LetheError('attribute references are only allowed inside functions', file, where);
    const value = attrFromProto(a, file, where);
    attrSource.set(value, a);
    if (value.type === 'tensor' && a.t) tensorSource.set(value.value, a.t);
    node.attrs[a.name ?? ''] = value;
  }
  nodeSource.set(node, n);
  return node;
}

function attrFromProto(a: AttributeProto, file: string | undefined, where: string): AttrValue {
  switch (a.type) {
    case AttrType.FLOAT: return { type: 'float', value: a.f ?? 0 };
    case AttrType.INT: return { type: 'int', value: toNumber(a.i) };
    case AttrType.STRING: return { type: 'string', value: decodeText(a.s) };
    case AttrType.FLOATS: return { type: 'floats', value: a.floats ?? [] };
    case AttrType.INTS: return { type: 'ints', value: (a.ints ?? []).map(toNumber) };
    case AttrType.STRINGS: return { type: 'strings', value: (a.strings ?? []).map(decodeText) };
    case AttrType.TENSOR:
      try {
        return { type: 'tensor', value: tensorFromProto(a.t ?? {}, where) };
      } catch (e) {
        throw new LetheError((e as Error).message, file);
      }
    case AttrType.GRAPH: return { type: 'graph', value: a.g };
    default: throw new LetheError(`unsupported attribute type ${a.type}`, file, where);
  }
}

/** protobufjs leaves an unset bytes field as a plain empty array (e.g. a STRING attribute whose `s` is missing). */
function decodeText(bytes: Uint8Array | undefined): string {
  return bytes instanceof Uint8Array ? textDecoder.decode(bytes) : '';
}

function valueInfoFromProto(v: ValueInfoProto): ValueInfo {
  const tt = v.type?.tensor_type;
  const dims = tt?.shape?.dim;
  const shape: Dim[] | undefined = dims?.map((d) => (d.dim_param ? d.dim_param : d.dim_value !== undefined && d.dim_value !== null ? toNumber(d.dim_value) : '?'));
  return { name: v.name ?? '', elemType: tt?.elem_type ?? 0, shape };
}
