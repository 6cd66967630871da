/** Which initializers are trainable parameters, and copying parameter values in and out of a model. */
import { DataType, type Model } from '../graph/ir';
import { tensorSource } from '../onnx/read';

/** Inputs that hold state or settings, not parameters, even when they are float initializers. */
const NON_TRAINABLE_SLOTS: Record<string, number[]> = {
  BatchNormalization: [3, 4], // running mean / variance: updated from batch statistics, not by gradients
  Clip: [1, 2],
  Pad: [1, 2, 3],
  Dropout: [1, 2],
};

/** Float32 initializers that feed a differentiable input of some node, in node order. */
export function trainableParameters(model: Model): string[] {
  const { graph } = model;
  const out: string[] = [];
  const seen = new Set<string>();
  for (const node of graph.nodes) {
    const skip = NON_TRAINABLE_SLOTS[node.opType] ?? [];
    node.inputs.forEach((name, slot) => {
      if (seen.has(name) || skip.includes(slot)) return;
      const t = graph.initializers.get(name);
      if (!t || t.dataType !== DataType.FLOAT) return;
      seen.add(name);
      out.push(name);
    });
  }
  return out;
}

/** Running statistics of BatchNormalization nodes (updated in training mode, never by the optimiser). */
export function runningStatistics(model: Model): string[] {
  return model.graph.nodes
    .filter((n) => n.opType === 'BatchNormalization')
    .flatMap((n) => [n.inputs[3], n.inputs[4]])
    .filter((name) => model.graph.initializers.has(name));
}

/** Copies of the current values of the named float initializers. */
export function copyParameters(model: Model, names: Iterable<string>): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  for (const name of names) out.set(name, Float32Array.from(model.graph.initializers.get(name)!.data as Float32Array));
  return out;
}

/** A new model sharing the graph structure, with the given initializer values replaced (copied). */
export function withParameters(model: Model, values: ReadonlyMap<string, Float32Array>): Model {
  const initializers = new Map(model.graph.initializers);
  for (const [name, data] of values) {
    const t = initializers.get(name);
    if (!t) throw new Error(`no initializer "${name}"`);
    const copy = { ...t, data: Float32Array.from(data) };
    const source = tensorSource.get(t);
    if (source) tensorSource.set(copy, source); // keep doc strings and unknown fields on write
    initializers.set(name, copy);
  }
  return { ...model, graph: { ...model.graph, initializers } };
}
