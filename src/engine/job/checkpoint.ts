/** Load and save checkpoints in their own format (.onnx or TF.js model.json); the original is never written. */
import { basename, dirname, join } from 'node:path';
import type { Model } from '../graph/ir';
import { readModelFile } from '../onnx/read';
import { writeModelFile } from '../onnx/write';
import { LetheError } from '../util/errors';

export type CheckpointFormat = 'onnx' | 'tfjs';

export function checkpointFormat(file: string): CheckpointFormat {
  if (file.endsWith('.onnx')) return 'onnx';
  if (file.endsWith('.json')) return 'tfjs';
  throw new LetheError('unknown checkpoint format: expected a .onnx file or a TF.js model.json', file);
}

export async function loadCheckpoint(file: string): Promise<{ model: Model; format: CheckpointFormat }> {
  const format = checkpointFormat(file);
  if (format === 'onnx') return { model: await readModelFile(file), format };
  const { loadTfjsModel } = await import('../tfjs/load');
  return { model: await loadTfjsModel(file), format };
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
