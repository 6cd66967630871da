/**
 * A cheap description of a checkpoint for the Models view and the model overview: protobuf parse only,
 * no onnxruntime, no data.
 */
import { stat } from 'node:fs/promises';
import type { Model } from '../graph/ir';
import { LetheError } from '../util/errors';
import { readModelFile } from './read';
import { DATA_TYPE_NAMES } from './tensor';

export interface ModelSummary {
  file: string;
  format: 'onnx' | 'tfjs';
  producer: string;
  opset: number;
  inputs: { name: string; shape: (number | string)[]; elemType: string }[];
  outputs: { name: string; shape: (number | string)[]; elemType: string }[];
  layers: { name: string; op: string; params: number }[];
  totalParams: number;
  metadata: Record<string, string>;
}

export async function summarizeModelFile(file: string, opts: { maxBytes?: number } = {}): Promise<ModelSummary> {
  if (opts.maxBytes !== undefined) {
    const size = (await stat(file)).size;
    if (size > opts.maxBytes) throw new LetheError(`model is ${(size / 2 ** 20).toFixed(1)} MB, over the ${(opts.maxBytes / 2 ** 20).toFixed(0)} MB limit for previews`, file);
  }
  if (file.endsWith('.json')) {
    const { loadTfjsModel } = await import('../tfjs/load');
    return summarizeModel(await loadTfjsModel(file), file, 'tfjs');
  }
  return summarizeModel(await readModelFile(file), file, 'onnx');
}

function summarizeModel(model: Model, file: string, format: 'onnx' | 'tfjs'): ModelSummary {
  const g = model.graph;
  const layers = g.nodes.map((n) => ({
    name: n.name,
    op: n.opType,
    params: n.inputs.reduce((s, name) => {
      const t = g.initializers.get(name);
      return s + (t && t.dataType === 1 ? t.data.length : 0);
    }, 0),
  }));
  const io = (v: { name: string; elemType: number; shape: (number | string)[] | undefined }) => ({
    name: v.name,
    shape: v.shape ?? [],
    elemType: DATA_TYPE_NAMES[v.elemType] ?? String(v.elemType),
  });
  return {
    file,
    format,
    producer: [model.producerName, model.producerVersion].filter(Boolean).join(' '),
    opset: model.opsets.find((o) => o.domain === '' || o.domain === 'ai.onnx')?.version ?? 0,
    inputs: g.inputs.map(io),
    outputs: g.outputs.map(io),
    layers,
    totalParams: layers.reduce((s, l) => s + l.params, 0),
    metadata: model.metadata,
  };
}
