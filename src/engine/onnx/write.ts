/**
 * Write the IR back to `.onnx` bytes. Starts from the proto the model was read from so metadata,
 * doc strings, functions and unknown fields survive; only the graph content and metadata are replaced.
 */
import type { AttrValue, Graph, Model, Node, ValueInfo } from '../graph/ir';
import { writeFileAtomic } from '../util/atomic';
import { AttrType, ModelProtoType, type AttributeProto, type GraphProto, type ModelProto, type NodeProto, type ValueInfoProto } from './proto';
import { attrSource, nodeSource, tensorSource } from './read';
import { tensorToProto } from './tensor';

const textEncoder = new TextEncoder();

export function encodeModel(model: Model): Uint8Array {
  const source = (model.source ?? {}) as ModelProto;
  const proto: ModelProto = withUnknowns(
    {
      ...source,
      ir_version: model.irVersion || 8,
      opset_import: model.opsets.map((o) => ({ domain: o.domain, version: o.version })),
      producer_name: model.producerName,
      producer_version: model.producerVersion,
      graph: graphToProto(model.graph, source.graph),
      metadata_props: Object.entries(model.metadata).map(([key, value]) => ({ key, value })),
    },
    source,
  );
  return ModelProtoType.encode(proto as never).finish();
}

export async function writeModelFile(file: string, model: Model): Promise<void> {
  await writeFileAtomic(file, encodeModel(model));
}

function graphToProto(g: Graph, keep: GraphProto | undefined): GraphProto {
  const keptInfo = new Map((keep?.value_info ?? []).map((v) => [v.name, v]));
  const produced = new Set(g.nodes.flatMap((n) => n.outputs));
  const keptInputs = new Map((keep?.input ?? []).map((v) => [v.name, v]));
  const keptOutputs = new Map((keep?.output ?? []).map((v) => [v.name, v]));
  return withUnknowns(
    {
      ...keep,
      name: g.name,
      node: g.nodes.map(nodeToProto),
      initializer: [...g.initializers.values()].map((t) => tensorToProto(t, tensorSource.get(t))),
      input: g.inputs.map((v) => keptInputs.get(v.name) ?? valueInfoToProto(v)),
      output: g.outputs.map((v) => keptOutputs.get(v.name) ?? valueInfoToProto(v)),
      // Intermediate shape annotations stay only for values that still exist.
      value_info: [...keptInfo.values()].filter((v) => produced.has(v.name ?? '')),
    },
    keep,
  );
}

function nodeToProto(n: Node): NodeProto {
  const keep = nodeSource.get(n);
  return withUnknowns(
    {
      ...keep,
      name: n.name,
      op_type: n.opType,
      domain: n.domain || undefined,
      input: n.inputs,
      output: n.outputs,
      attribute: Object.entries(n.attrs).map(([name, a]) => attrToProto(name, a)),
    },
    keep,
  );
}

/** An attribute read from a file keeps its doc string and unknown fields; its value is written from the IR. */
function attrToProto(name: string, a: AttrValue): AttributeProto {
  const keep = attrSource.get(a);
  return withUnknowns({ ...keep, ...attrValueToProto(name, a) }, keep);
}

function attrValueToProto(name: string, a: AttrValue): AttributeProto {
  switch (a.type) {
    case 'float': return { name, type: AttrType.FLOAT, f: a.value };
    case 'int': return { name, type: AttrType.INT, i: a.value };
    case 'string': return { name, type: AttrType.STRING, s: textEncoder.encode(a.value) };
    case 'floats': return { name, type: AttrType.FLOATS, floats: a.value };
    case 'ints': return { name, type: AttrType.INTS, ints: a.value };
    case 'strings': return { name, type: AttrType.STRINGS, strings: a.value.map((s) => textEncoder.encode(s)) };
    case 'tensor': return { name, type: AttrType.TENSOR, t: tensorToProto(a.value, tensorSource.get(a.value)) };
    case 'graph': return { name, type: AttrType.GRAPH, g: a.value };
  }
}

function valueInfoToProto(v: ValueInfo): ValueInfoProto {
  return {
    name: v.name,
    type: {
      tensor_type: {
        elem_type: v.elemType,
        shape: v.shape ? { dim: v.shape.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })) } : undefined,
      },
    },
  };
}

/** Spreading a decoded message drops its non-enumerable `$unknowns`; put them back. */
function withUnknowns<T extends object>(out: T, keep: object | undefined): T {
  const unknowns = (keep as { $unknowns?: unknown } | undefined)?.$unknowns;
  if (unknowns) Object.defineProperty(out, '$unknowns', { value: unknowns, enumerable: false, writable: true });
  return out;
}
