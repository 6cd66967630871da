/** Loading what most commands need: a checkpoint, a dataset laid out for it, and one split. */
import { resolve } from 'node:path';
import { loadDataset } from '../engine/data/load';
import type { Dataset, DatasetSplits } from '../engine/data/types';
import type { Model } from '../engine/graph/ir';
import { loadCheckpoint } from '../engine/job/checkpoint';
import { LetheError } from '../engine/util/errors';
import { parseRange } from './args';
import { requireFloatInput } from './modelFit';

export async function modelAndData(modelPath: string, dataPath: string): Promise<{ model: Model; data: DatasetSplits }> {
  const { model } = await loadCheckpoint(resolve(modelPath));
  requireFloatInput(model, resolve(modelPath));
  const data = await loadDataset(resolve(dataPath), { inputShape: model.graph.inputs[0]?.shape });
  return { model, data };
}

export function pickSplit(data: DatasetSplits, split: string | undefined, fallback: 'train' | 'test'): Dataset {
  const s = split ?? fallback;
  if (s !== 'train' && s !== 'test') throw new LetheError(`--split must be train or test, not "${s}"`);
  return data[s];
}

/** The examples named by --indices, gathered into one contiguous batch. */
export function selectRows(ds: Dataset, indices: string | undefined): { x: Float32Array; y: Int32Array; n: number; idx: Int32Array } {
  const idx = parseRange(indices, ds.n);
  const width = ds.x.length / ds.n;
  const x = new Float32Array(idx.length * width);
  const y = new Int32Array(idx.length);
  idx.forEach((row, i) => {
    x.set(ds.x.subarray(row * width, (row + 1) * width), i * width);
    y[i] = ds.y[row];
  });
  return { x, y, n: idx.length, idx };
}

export function print(json: boolean, value: unknown, human: () => string): void {
  process.stdout.write(json ? JSON.stringify(value) + '\n' : human() + '\n');
}

