/**
 * Up-front memory check: estimate what a job will hold at its peak (model copies and the decoded data) before
 * the data is loaded, and refuse a job that cannot fit instead of letting it swap the machine to a halt or be
 * killed half-way. The limit is `maxMemoryMB` (runJob option), else LETHE_MAX_MEMORY_MB, else 80% of the RAM.
 */
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isDescriptorPath, readDescriptor } from '../data/descriptor';
import { findMnistFiles } from '../data/mnistFolder';
import { DataType, type Model } from '../graph/ir';
import { LetheError } from '../util/errors';
import type { JobSpec } from '../contracts/jobSpec';
import type { TrainingRecipe } from '../contracts/recipe';

const MB = 2 ** 20;
const IMAGE_FILE = /\.(png|jpe?g)$/i;
/** Methods that keep a frozen teacher copy of the model beside the one they train. */
const TEACHER_METHODS = new Set(['bad-teacher', 'scrub', 'neggrad-plus']);

export interface MemoryEstimate {
  parameters: number;
  /** Parameter-sized arrays alive at the peak (see `modelCopies`). */
  copies: number;
  examples: number;
  features: number;
  bytes: number;
}

export { memoryLimitMB } from '../util/memoryLimit';

/**
 * Parameter-sized arrays alive at once: the original; when anything trains (the method, or the retrain reference
 * of an audit) the trained values, their gradient and the optimiser state (momentum: 1, Adam: 2; the original's
 * optimiser) plus the model written out; the reference models kept for evaluation; and a teacher copy for
 * distillation methods.
 */
export function modelCopies(spec: JobSpec, optimizer: TrainingRecipe['optimizer']): number {
  const retrains = spec.reference.retrain && spec.reference.checkpoints.length === 0 && spec.forget !== undefined;
  const references = spec.reference.checkpoints.length + (retrains ? 1 : 0);
  const trains = spec.kind === 'unlearn' || retrains;
  const optimiserState = optimizer === 'sgd' ? 1 : 2;
  const teacher = spec.kind === 'unlearn' && TEACHER_METHODS.has(spec.method) ? 1 : 0;
  return 1 + (trains ? 3 + optimiserState : 0) + references + teacher;
}

export function parameterCount(model: Model): number {
  let n = 0;
  for (const t of model.graph.initializers.values()) if (t.dataType === DataType.FLOAT) n += t.data.length;
  return n;
}

/** Values in one example: the model input without its batch axis (symbolic axes count as 1). */
export function featuresPerExample(model: Model): number {
  const shape = model.graph.inputs[0]?.shape ?? [];
  return shape.slice(1).reduce<number>((p, d) => p * (typeof d === 'number' && d > 0 ? d : 1), 1);
}

/**
 * An upper bound on the examples a dataset holds, from its files alone: an image file is one example; any
 * other file stores each value in at least one byte, so it holds at most (decoded bytes / features) examples.
 * Gzipped files count their decompressed size (the gzip trailer's ISIZE).
 */
export async function estimateExamples(dataPath: string, features: number): Promise<number> {
  let examples = 0;
  for (const file of await datasetFiles(dataPath)) {
    examples += IMAGE_FILE.test(file) ? 1 : Math.ceil((await decodedSize(file)) / Math.max(1, features));
  }
  return examples;
}

export async function estimateJobMemory(model: Model, spec: JobSpec, recipe: TrainingRecipe, dataPath: string): Promise<MemoryEstimate> {
  const parameters = parameterCount(model);
  const copies = modelCopies(spec, recipe.optimizer);
  const features = featuresPerExample(model);
  const examples = await estimateExamples(dataPath, features);
  return { parameters, copies, examples, features, bytes: 4 * (parameters * copies + examples * features) };
}

/** Refuses an estimate over the limit, with the numbers that led there and how to change the limit. */
export function checkMemory(e: MemoryEstimate, limitMB: number): void {
  if (e.bytes <= limitMB * MB) return;
  const gb = (bytes: number) => (bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(2)} GB` : `${(bytes / MB).toFixed(1)} MB`);
  throw new LetheError(
    `the job needs about ${gb(e.bytes)} of memory (model ${gb(4 * e.parameters * e.copies)}: ${e.parameters} parameters × ${e.copies} copies; ` +
      `data ${gb(4 * e.examples * e.features)}: up to ${e.examples} examples × ${e.features} values × 4 bytes), over the limit of ${gb(limitMB * MB)}; ` +
      'use a smaller dataset or model, or raise the limit with LETHE_MAX_MEMORY_MB',
  );
}

/**
 * The files a dataset path reads, as `loadDataset` finds them: a descriptor and the files it names (image folders
 * walked), a folder's four MNIST files, or what its one descriptor names. A folder is never walked deeply here:
 * pointing `data` at a big tree must not stall the job before the loader refuses it.
 */
export async function datasetFiles(path: string): Promise<string[]> {
  if (isDescriptorPath(path)) {
    const descriptor = await readDescriptor(path);
    const named = [...new Set(stringLeaves(descriptor.files).map((p) => p.replace(/#.*$/, '')))];
    return [path, ...(await Promise.all(named.map(walk))).flat()];
  }
  const mnist = await findMnistFiles(path);
  if (mnist) return stringLeaves(mnist);
  const descriptors = ((await readdir(path).catch(() => [])) as string[]).filter(isDescriptorPath);
  return descriptors.length === 1 ? datasetFiles(join(path, descriptors[0])) : []; // otherwise the loader refuses the folder
}

function stringLeaves(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringLeaves);
  return [];
}

async function walk(path: string): Promise<string[]> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return []; // the loader reports missing files with its own message
  if (!info.isDirectory()) return [path];
  const entries = await readdir(path, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => (e.isFile() || e.isSymbolicLink()) && !e.name.startsWith('.')).map((e) => join(e.parentPath, e.name));
}

/** A file's size, or for gzip its decompressed size modulo 2^32 as the trailer records it. */
async function decodedSize(file: string): Promise<number> {
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) return 0; // a dangling link or a linked folder: the loader decides what it means
  const size = info.size;
  if (size < 18) return size;
  const handle = await open(file, 'r').catch(() => undefined);
  if (!handle) return size;
  try {
    const head = Buffer.alloc(2);
    await handle.read(head, 0, 2, 0);
    if (head[0] !== 0x1f || head[1] !== 0x8b) return size;
    const trailer = Buffer.alloc(4);
    await handle.read(trailer, 0, 4, size - 4);
    return Math.max(size, trailer.readUInt32LE(0));
  } finally {
    await handle.close();
  }
}
