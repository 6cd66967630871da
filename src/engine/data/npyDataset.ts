/**
 * Train/test datasets from NumPy arrays, in .npy files or inside .npz archives: x is [n, ...example shape],
 * y is [n] or [n, 1] integer labels.
 */
import { LetheError } from '../util/errors';
import type { Dataset } from './types';
import type { Preprocessing } from './descriptor';
import { parseNpy, type NpyArray } from './npy';
import { readMaybeGzipped } from './fileBytes';
import { extractZipEntry, listZip } from './zip';
import { checkNumericLabels, namesForNumericLabels, preview } from './labels';
import { shapeExamples } from './arrayExamples';

type Split = 'train' | 'test';

/** One array: a whole .npy file, or the entry of that name (e.g. "x_train.npy") inside an .npz archive. */
export interface ArrayRef {
  file: string;
  entry?: string;
}

export interface NpyOptions {
  files: Record<Split, { x: ArrayRef; y: ArrayRef }>;
  classNames?: string[];
  preprocessing: Preprocessing;
  inputShape?: (number | string)[];
}

interface LoadedArray extends NpyArray {
  /** How errors name it: the file, or archive.npz#entry (as a descriptor writes it). */
  name: string;
}

/** Reads each file once, however many arrays come from it. */
function arrayReader(): (ref: ArrayRef) => Promise<LoadedArray> {
  const files = new Map<string, Promise<Uint8Array>>();
  const bytesOf = (file: string) => {
    if (!files.has(file)) files.set(file, readMaybeGzipped(file));
    return files.get(file)!;
  };
  return async (ref) => {
    const bytes = await bytesOf(ref.file);
    if (ref.entry === undefined) return { ...parseNpy(bytes, ref.file), name: ref.file };
    const entries = listZip(bytes, ref.file);
    const entry = entries.get(ref.entry);
    if (!entry) throw new LetheError(`no array "${ref.entry}" in the archive; it holds ${preview([...entries.keys()], 10)}`, ref.file);
    const name = `${ref.file}#${ref.entry}`;
    return { ...parseNpy(extractZipEntry(bytes, entry, ref.file), name), name };
  };
}

/** A descriptor path as an array: `archive.npz#name` (".npy" optional), a bare `archive.npz` (Keras's names), or a .npy file. */
export function arrayRef(path: string, role: 'x' | 'y', split: Split): ArrayRef {
  const archive = /^(.*\.npz)(?:#(.+))?$/i.exec(path);
  if (!archive) return { file: path };
  const name = archive[2] ?? `${role}_${split}`;
  return { file: archive[1], entry: name.endsWith('.npy') ? name : `${name}.npy` };
}

export async function loadNpySplits(opts: NpyOptions): Promise<{ train: Dataset; test: Dataset; classNames: string[] }> {
  const read = arrayReader();
  const { train, test } = opts.files;
  const [trainX, trainY, testX, testY] = await Promise.all([read(train.x), read(train.y), read(test.x), read(test.y)]);
  checkLabelShape(trainY, trainX);
  checkLabelShape(testY, testX);
  const classNames = namesForNumericLabels(opts.classNames, [
    { values: trainY.values, file: trainY.name },
    { values: testY.values, file: testY.name },
  ]);
  const trainSet = build('train', trainX, trainY, classNames, opts);
  const testSet = build('test', testX, testY, classNames, opts);
  if (testSet.exampleShape.join() !== trainSet.exampleShape.join()) {
    throw new LetheError(`examples have shape [${testX.shape.slice(1)}], the train split's have [${trainX.shape.slice(1)}]`, testX.name, 'header shape');
  }
  return { train: trainSet, test: testSet, classNames };
}

function checkLabelShape(y: LoadedArray, x: LoadedArray): void {
  if (x.shape.length < 2) throw new LetheError(`shape (${x.shape}) has no example axis; expected (n, ...)`, x.name, 'header shape');
  const n = x.shape[0];
  const ok = (y.shape.length === 1 && y.shape[0] === n) || (y.shape.length === 2 && y.shape[0] === n && y.shape[1] === 1);
  if (!ok) throw new LetheError(`label shape (${y.shape}) does not match ${n} examples in ${x.name}; expected (${n},)`, y.name, 'header shape');
  if (y.dtype.includes('f')) throw new LetheError(`labels must be integers, not ${y.dtype}`, y.name, 'header descr');
}

function build(split: Split, x: LoadedArray, y: LoadedArray, classNames: string[], opts: NpyOptions): Dataset {
  const n = x.shape[0];
  const unsignedBytes = x.dtype.endsWith('u1');
  const shaped = shapeExamples(x.values, n, x.shape.slice(1), { inputShape: opts.inputShape, preprocessing: opts.preprocessing, defaultScale: unsignedBytes ? 1 / 255 : 1 }, x.name);
  return {
    x: shaped.x,
    y: checkNumericLabels(y.values, classNames.length, y.name, (i) => `label ${i}`),
    n,
    exampleShape: shaped.exampleShape,
    ids: Array.from({ length: n }, (_, i) => `${split}:${i}`),
    classNames,
    sources: [...new Set([opts.files[split].x.file, opts.files[split].y.file])],
  };
}
