/**
 * TF.js Layers model (model.json + binary shards) → Lethe IR, without TF.js at runtime.
 *
 * The converted graph takes and returns tensors exactly as TF.js does (NHWC images in, the last layer's
 * activations out); inside, spatial ops run NCHW (see builder.ts). The graph is faithful: a final softmax
 * stays in it, and `metadata['lethe.outputKind']` says whether the outputs are 'probabilities' or 'logits'.
 */
import { DataType, type Dim, type Model, type ValueInfo } from '../graph/ir';
import { LetheError } from '../util/errors';
import { GraphBuilder, type Value } from './builder';
import { isObject, parseTopology, readModelJson, type TensorRef } from './format';
import { convertLayer, type LayerContext } from './layers';
import { readWeights } from './weights';

const OPSET = 13;

export async function loadTfjsModel(modelJsonPath: string): Promise<Model> {
  const file = modelJsonPath;
  const json = await readModelJson(file);
  const topology = parseTopology(json, file);
  const weights = await readWeights(json.weightsManifest, file);
  const builder = new GraphBuilder();
  const values = new Map<string, Value>();
  const key = (r: TensorRef): string => `${r.layer}:${r.node}:${r.tensor}`;
  const graphInputs: ValueInfo[] = [];

  const addInput = (name: string, batchShape: unknown, where: string): Value => {
    if (!Array.isArray(batchShape) || batchShape.length < 2 || !batchShape.slice(1).every((d) => d === null || (Number.isInteger(d) && d > 0))) {
      throw new LetheError(`input shape ${JSON.stringify(batchShape)} is not [batch, ...positive sizes or null]`, file, where);
    }
    builder.reserveName(name);
    const shape = [null, ...(batchShape.slice(1) as (number | null)[])];
    graphInputs.push({ name, elemType: DataType.FLOAT, shape: symbolicShape(shape, name) });
    return { name, shape, channelsFirst: false, probabilities: false };
  };

  if (topology.implicitInput) {
    const { name, batchInputShape } = topology.implicitInput;
    values.set(key({ layer: name, node: 0, tensor: 0 }), addInput(name, batchInputShape, `layer "${topology.calls[0]?.layer.name}"`));
  }
  for (const call of topology.calls) {
    const { layer } = call;
    const where = `layer "${layer.name}" (${layer.className})`;
    if (layer.className === 'InputLayer') {
      if ((layer.config.dtype ?? 'float32') !== 'float32') throw new LetheError(`input dtype "${String(layer.config.dtype)}" is not supported; only float32`, file, where);
      values.set(key({ layer: layer.name, node: call.node, tensor: 0 }), addInput(layer.name, layer.config.batch_input_shape ?? layer.config.batch_shape, where));
      continue;
    }
    const inputs = call.inputs.map((r) => {
      const v = values.get(key(r));
      if (!v) throw new LetheError(`input ${JSON.stringify([r.layer, r.node, r.tensor])} is not produced by any layer`, file, where);
      return v;
    });
    const ctx: LayerContext = {
      builder,
      layer,
      weight(param) {
        const w = weights.get(`${layer.name}/${param}`);
        if (!w) throw new LetheError(`weight "${layer.name}/${param}" is missing from weightsManifest`, file, where);
        return w;
      },
      fail(message) {
        throw new LetheError(message, file, where);
      },
    };
    values.set(key({ layer: layer.name, node: call.node, tensor: 0 }), convertLayer(ctx, inputs));
  }

  const outputs = topology.outputs.map((r) => {
    const found = values.get(key(r));
    if (!found) throw new LetheError(`output ${JSON.stringify([r.layer, r.node, r.tensor])} is not produced by any layer`, file, 'output_layers');
    return { layer: r.layer, value: builder.channelsLast(found) };
  });
  const graphOutputs: ValueInfo[] = outputs.map(({ layer, value }) => {
    // Name each output after its layer, as TF.js users know it; an output that is a graph input gets an Identity.
    let name = value.name;
    if (builder.isProduced(value.name) && !builder.isUsed(layer)) {
      builder.rename(value.name, layer);
      name = layer;
    } else if (!builder.isProduced(value.name)) {
      name = builder.node('Identity', [value.name], {}, layer);
    }
    return { name, elemType: DataType.FLOAT, shape: symbolicShape(value.shape, name) };
  });

  const topo = json.modelTopology as Record<string, unknown>;
  const config = (isObject(topo.model_config) ? topo.model_config.config : topo.config) as Record<string, unknown> | undefined;
  return {
    graph: {
      name: typeof config?.name === 'string' ? config.name : 'tfjs-model',
      nodes: builder.nodes,
      inputs: graphInputs,
      outputs: graphOutputs,
      initializers: builder.initializers,
    },
    opsets: [{ domain: '', version: OPSET }],
    irVersion: 8,
    producerName: 'lethe (from TF.js Layers)',
    producerVersion: typeof json.generatedBy === 'string' ? json.generatedBy : '',
    metadata: {
      'lethe.source': 'tfjs-layers',
      'lethe.inputLayout': 'NHWC',
      'lethe.outputKind': outputs.every((o) => o.value.probabilities) ? 'probabilities' : 'logits',
    },
    file,
  };
}

function symbolicShape(shape: (number | null)[], name: string): Dim[] {
  return shape.map((d, i) => (i === 0 ? 'batch' : (d ?? `${name}_dim${i}`)));
}
