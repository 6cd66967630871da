/**
 * The TF.js Layers `model.json` format: reading the file and normalising its Keras topology (Sequential or
 * functional) into one list of layer applications, so the converter need not know which kind it came from.
 */
import { readRegularFile } from '../util/files';
import { parseJsonText } from '../util/textFormats';
import { LetheError } from '../util/errors';

export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: unknown;
}

export interface WeightGroup {
  paths: string[];
  weights: WeightSpec[];
}

/** model.json as written by TF.js (`tf.io` / tfjs-converter); other keys are kept as they are on save. */
export interface ModelJson {
  modelTopology: unknown;
  weightsManifest: WeightGroup[];
  format?: string;
  [key: string]: unknown;
}

export interface LayerSpec {
  className: string;
  name: string;
  config: Record<string, unknown>;
}

/** A reference to one output of one application of a layer (Keras' [layer, node index, tensor index]). */
export interface TensorRef {
  layer: string;
  node: number;
  tensor: number;
}

export interface LayerCall {
  layer: LayerSpec;
  /** Which application of the layer this is (a shared layer is applied more than once). */
  node: number;
  inputs: TensorRef[];
}

export interface Topology {
  /** Layer applications in the order they can be evaluated. */
  calls: LayerCall[];
  inputs: TensorRef[];
  outputs: TensorRef[];
  /** Set when a Sequential model has no InputLayer: the graph input TF.js would create for it. */
  implicitInput?: { name: string; batchInputShape: (number | null)[] };
}

export async function readModelJson(file: string): Promise<ModelJson> {
  const json = parseJsonText(new TextDecoder().decode(await readRegularFile(file, 'model')), file);
  if (!isObject(json) || !isObject(json.modelTopology)) throw new LetheError('no "modelTopology" object: not a TF.js Layers model.json', file);
  if (json.format !== undefined && json.format !== 'layers-model') {
    throw new LetheError('"format" is not "layers-model": only TF.js Layers models are supported', file);
  }
  if (!Array.isArray(json.weightsManifest)) throw new LetheError('no "weightsManifest" array', file);
  json.weightsManifest.forEach((g: unknown, i: number) => {
    if (!isObject(g) || !Array.isArray(g.paths) || !Array.isArray(g.weights)) {
      throw new LetheError('a weight group needs "paths" and "weights" arrays', file, `weightsManifest[${i}]`);
    }
  });
  return json as ModelJson;
}

export function parseTopology(modelJson: ModelJson, file: string): Topology {
  // tfjs-converter output from Keras nests the model under "model_config".
  const topo = modelJson.modelTopology as Record<string, unknown>;
  const root = isObject(topo.model_config) ? topo.model_config : topo;
  const className = root.class_name;
  if (className === 'Sequential') return sequentialTopology(root.config, file);
  if (className === 'Model' || className === 'Functional') return functionalTopology(root.config, file);
  throw new LetheError(`model class "${String(className)}" is not supported (expected Sequential or a functional Model)`, file, 'modelTopology');
}

function sequentialTopology(config: unknown, file: string): Topology {
  // Old Keras wrote the layer list directly as the config.
  const list = Array.isArray(config) ? config : isObject(config) ? config.layers : undefined;
  if (!Array.isArray(list) || list.length === 0) throw new LetheError('a Sequential model needs a non-empty layer list', file, 'modelTopology.config');
  const layers = list.map((l, i) => layerSpec(l, file, `modelTopology.config.layers[${i}]`));
  let previous: TensorRef;
  let implicitInput: Topology['implicitInput'];
  let rest = layers;
  if (layers[0].className === 'InputLayer') {
    previous = { layer: layers[0].name, node: 0, tensor: 0 };
    rest = layers.slice(1);
  } else {
    const shape = layers[0].config.batch_input_shape ?? layers[0].config.batch_shape;
    if (!Array.isArray(shape)) throw new LetheError('the first layer has no batch_input_shape, so the input shape is unknown', file, `layer "${layers[0].name}"`);
    implicitInput = { name: `${layers[0].name}_input`, batchInputShape: shape as (number | null)[] };
    previous = { layer: implicitInput.name, node: 0, tensor: 0 };
  }
  const inputs = [previous];
  const calls: LayerCall[] = layers[0].className === 'InputLayer' ? [{ layer: layers[0], node: 0, inputs: [] }] : [];
  for (const layer of rest) {
    calls.push({ layer, node: 0, inputs: [previous] });
    previous = { layer: layer.name, node: 0, tensor: 0 };
  }
  return { calls, inputs, outputs: [previous], ...(implicitInput ? { implicitInput } : {}) };
}

function functionalTopology(config: unknown, file: string): Topology {
  if (!isObject(config) || !Array.isArray(config.layers)) throw new LetheError('a functional model needs a layer list', file, 'modelTopology.config');
  const calls: LayerCall[] = [];
  config.layers.forEach((raw: unknown, i: number) => {
    const where = `modelTopology.config.layers[${i}]`;
    const layer = layerSpec(raw, file, where);
    const inbound = (raw as Record<string, unknown>).inbound_nodes;
    if (!Array.isArray(inbound)) throw new LetheError('no inbound_nodes list', file, `layer "${layer.name}"`);
    if (inbound.length === 0) calls.push({ layer, node: 0, inputs: [] });
    inbound.forEach((n: unknown, node: number) => {
      if (!Array.isArray(n)) throw new LetheError(`inbound node ${node} is not in the [[layer, node, tensor, kwargs], ...] form`, file, `layer "${layer.name}"`);
      calls.push({ layer, node, inputs: n.map((r: unknown) => tensorRef(r, file, `layer "${layer.name}" inbound node ${node}`)) });
    });
  });
  const refs = (key: string): TensorRef[] => {
    const list = config[key];
    if (!Array.isArray(list)) throw new LetheError(`no ${key} list`, file, 'modelTopology.config');
    return list.map((r: unknown) => tensorRef(r, file, `modelTopology.config.${key}`));
  };
  return { calls: evaluationOrder(calls, file), inputs: refs('input_layers'), outputs: refs('output_layers') };
}

/** Keras lists layers in creation order, which need not be an evaluation order; sort them topologically. */
function evaluationOrder(calls: LayerCall[], file: string): LayerCall[] {
  const ordered: LayerCall[] = [];
  const ready = new Set<string>();
  let pending = calls;
  while (pending.length > 0) {
    const next = pending.filter((c) => !c.inputs.every((r) => ready.has(`${r.layer}:${r.node}`)));
    if (next.length === pending.length) {
      const c = pending[0];
      throw new LetheError('its inputs never become available (a missing layer or a cycle)', file, `layer "${c.layer.name}"`);
    }
    for (const c of pending) {
      if (next.includes(c)) continue;
      ordered.push(c);
      ready.add(`${c.layer.name}:${c.node}`);
    }
    pending = next;
  }
  return ordered;
}

function layerSpec(raw: unknown, file: string, where: string): LayerSpec {
  if (!isObject(raw) || typeof raw.class_name !== 'string' || !isObject(raw.config)) {
    throw new LetheError('a layer needs "class_name" and "config"', file, where);
  }
  const name = typeof raw.name === 'string' ? raw.name : raw.config.name;
  if (typeof name !== 'string') throw new LetheError(`${raw.class_name} layer has no name`, file, where);
  return { className: raw.class_name, name, config: raw.config };
}

function tensorRef(raw: unknown, file: string, where: string): TensorRef {
  if (Array.isArray(raw) && typeof raw[0] === 'string' && Number.isInteger(raw[1]) && Number.isInteger(raw[2])) {
    return { layer: raw[0], node: raw[1], tensor: raw[2] };
  }
  throw new LetheError(`expected a [layer, node, tensor] reference, got ${JSON.stringify(raw)}`, file, where);
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
