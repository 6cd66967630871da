/** Train/test datasets from NPY pairs (x.npy: [n, ...example shape], y.npy: [n] or [n, 1] integer labels). */
import { LetheError } from '../util/errors';
import type { Dataset } from './types';
import type { Preprocessing } from './descriptor';
import { readNpy, type NpyArray } from './npy';
import { checkNumericLabels, namesForNumericLabels } from './labels';
import { shapeExamples } from './arrayExamples';

type Split = 'train' | 'test';

export interface NpyOptions {
  files: Record<Split, { x: string; y: string }>;
  classNames?: string[];
  preprocessing: Preprocessing;
  inputShape?: (number | string)[];
}

export async function loadNpySplits(opts: NpyOptions): Promise<{ train: Dataset; test: Dataset; classNames: string[] }> {
  const { train, test } = opts.files;
  const [trainX, trainY, testX, testY] = await Promise.all([readNpy(train.x), readNpy(train.y), readNpy(test.x), readNpy(test.y)]);
  checkLabelShape(trainY, trainX, opts.files.train);
  checkLabelShape(testY, testX, opts.files.test);
  const classNames = namesForNumericLabels(opts.classNames, [
    { values: trainY.values, file: train.y },
    { values: testY.values, file: test.y },
  ]);
  const trainSet = build('train', trainX, trainY, classNames, opts);
  const testSet = build('test', testX, testY, classNames, opts);
  if (testSet.exampleShape.join() !== trainSet.exampleShape.join()) {
    throw new LetheError(`examples have shape [${testX.shape.slice(1)}], the train split's have [${trainX.shape.slice(1)}]`, test.x, 'header shape');
  }
  return { train: trainSet, test: testSet, classNames };
}

function checkLabelShape(y: NpyArray, x: NpyArray, files: { x: string; y: string }): void {
  if (x.shape.length < 2) throw new LetheError(`shape (${x.shape}) has no example axis; expected (n, ...)`, files.x, 'header shape');
  const n = x.shape[0];
  const ok = (y.shape.length === 1 && y.shape[0] === n) || (y.shape.length === 2 && y.shape[0] === n && y.shape[1] === 1);
  if (!ok) throw new LetheError(`label shape (${y.shape}) does not match ${n} examples in ${files.x}; expected (${n},)`, files.y, 'header shape');
  if (y.dtype.includes('f')) throw new LetheError(`labels must be integers, not ${y.dtype}`, files.y, 'header descr');
}

function build(split: Split, x: NpyArray, y: NpyArray, classNames: string[], opts: NpyOptions): Dataset {
  const files = opts.files[split];
  const n = x.shape[0];
  const unsignedBytes = x.dtype.endsWith('u1');
  const shaped = shapeExamples(x.values, n, x.shape.slice(1), { inputShape: opts.inputShape, preprocessing: opts.preprocessing, defaultScale: unsignedBytes ? 1 / 255 : 1 }, files.x);
  return {
    x: shaped.x,
    y: checkNumericLabels(y.values, classNames.length, files.y, (i) => `label ${i}`),
    n,
    exampleShape: shaped.exampleShape,
    ids: Array.from({ length: n }, (_, i) => `${split}:${i}`),
    classNames,
    sources: [files.x, files.y],
  };
}
