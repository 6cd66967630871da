/** Load and save checkpoints in their own format (.onnx or TF.js model.json); the original is never written. */
import { basename, dirname, join } from 'node:path';
import type { Model } from '../graph/ir';
import { readModelFile } from '../onnx/read';
import { writeModelFile } from '../onnx/write';
import { LetheError } from '../util/errors';
import { runningStatistics, trainableParameters } from '../train/params';

export type CheckpointFormat = 'onnx' | 'tfjs';

export function checkpointFormat(file: string): CheckpointFormat {
  if (file.endsWith('.onnx')) return 'onnx';
  if (file.endsWith('.json')) return 'tfjs';
  throw new LetheError('unknown checkpoint format: expected a .onnx file or a TF.js model.json', file);
}

export async function loadCheckpoint(file: string): Promise<{ model: Model; format: CheckpointFormat }> {
  const format = checkpointFormat(file);
  const model = format === 'onnx' ? await readModelFile(file) : logitsOutput(await (await import('../tfjs/load')).loadTfjsModel(file));
  requireFiniteWeights(model, file);
  return { model, format };
}

/**
 * Keras classifiers usually end in a softmax; Lethe's losses and metrics work on logits, so the final
 * Softmax is dropped from the graph. Saving back is unaffected: TF.js checkpoints are written as weights
 * into the original topology, which keeps its softmax.
 */
export function logitsOutput(model: Model): Model {
  if (model.metadata['lethe.outputKind'] !== 'probabilities') return model;
  const { graph } = model;
  const last = graph.nodes[graph.nodes.length - 1];
  if (!last || last.opType !== 'Softmax' || graph.outputs.length !== 1 || last.outputs[0] !== graph.outputs[0].name) return model;
  return {
    ...model,
    metadata: { ...model.metadata, 'lethe.outputKind': 'logits' },
    graph: { ...graph, nodes: graph.nodes.slice(0, -1), outputs: [{ ...graph.outputs[0], name: last.inputs[0] }] },
  };
}

/**
 * Weights holding NaN or ±Inf make every prediction meaningless (and would later read as "training diverged"):
 * refuse the checkpoint up front, naming the tensor.
 */
export function requireFiniteWeights(model: Model, file: string): void {
  for (const name of [...trainableParameters(model), ...runningStatistics(model)]) {
    const data = model.graph.initializers.get(name)!.data;
    const at = data.findIndex((v) => !Number.isFinite(v));
    if (at >= 0) throw new LetheError(`holds ${data[at]} at index ${at}; the checkpoint is corrupt`, file, `initializer "${name}"`);
  }
}

/**
 * Write `model` into `folder` under a name derived from the original, in the original's format.
 * Returns the path written (a file for ONNX, the model.json for TF.js).
 */
export async function saveCheckpoint(model: Model, format: CheckpointFormat, original: string, folder: string, suffix: string): Promise<string> {
  if (format === 'onnx') {
    const out = join(folder, basename(original).replace(/\.onnx$/, `.${suffix}.onnx`));
    await writeModelFile(out, model);
    return out;
  }
  const { saveTfjsModel } = await import('../tfjs/save');
  const outDir = join(folder, `${basename(dirname(original))}.${suffix}`);
  await saveTfjsModel(model, original, outDir);
  return join(outDir, 'model.json');
}
