/**
 * `loadDataset`: the one entry point for data. A path is a descriptor (`*.dataset.json|yaml`), a folder holding
 * one descriptor, or a folder with the four standard MNIST IDX files; each format has its own reader.
 */
import { readdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { LetheError } from '../util/errors';
import type { DatasetSplits } from './types';
import { isDescriptorPath, readDescriptor, type DatasetDescriptor } from './descriptor';
import { loadIdxSplits } from './idxDataset';
import { arrayRef, loadNpySplits } from './npyDataset';
import { loadImageFolderSplits } from './imageFolder';
import { loadTabularSplits } from './tabularDataset';
import { findMnistFiles, mnistClassNames, MNIST_FILE_NAMES } from './mnistFolder';

export interface LoadOptions {
  /** The model input, batch axis first (e.g. ['batch', 1, 28, 28]); decides example shape, channels and layout. */
  inputShape?: (number | string)[];
}

export async function loadDataset(path: string, opts: LoadOptions = {}): Promise<DatasetSplits> {
  const target = resolve(path);
  const info = await stat(target).catch((e: NodeJS.ErrnoException) => {
    throw new LetheError(e.code === 'ENOENT' ? 'dataset not found' : `cannot read the dataset (${e.code ?? e.message})`, target);
  });
  let splits: DatasetSplits;
  if (info.isDirectory()) splits = await loadFolder(target, opts);
  else if (isDescriptorPath(target)) splits = await loadDescribed(target, await readDescriptor(target), opts);
  else throw new LetheError('not a dataset: expected a *.dataset.json or *.dataset.yaml descriptor, or a folder', target);
  for (const split of [splits.train, splits.test]) {
    if (split.n === 0) throw new LetheError(`the ${split === splits.train ? 'train' : 'test'} split has no examples`, split.sources[0] ?? target);
  }
  return splits;
}

/** A descriptor in the folder wins (it names classes and preprocessing); else the four MNIST files are recognised. */
async function loadFolder(dir: string, opts: LoadOptions): Promise<DatasetSplits> {
  const descriptors = (await readdir(dir)).filter(isDescriptorPath);
  if (descriptors.length === 1) {
    const file = join(dir, descriptors[0]);
    return loadDescribed(file, await readDescriptor(file), opts);
  }
  const mnist = descriptors.length === 0 ? await findMnistFiles(dir) : undefined;
  if (mnist) {
    const splits = await loadIdxSplits(mnist, { inputShape: opts.inputShape, classNames: mnistClassNames(dir), preprocessing: {} });
    return withRoot({ path: dir, ...splits }, dir);
  }
  const why = descriptors.length > 1 ? `it holds ${descriptors.length} descriptors (${descriptors.join(', ')}); name one` : `expected a *.dataset.json|yaml descriptor or the files ${MNIST_FILE_NAMES.join(', ')} (optionally .gz)`;
  throw new LetheError(`folder is not a dataset: ${why}`, dir);
}

async function loadDescribed(file: string, d: DatasetDescriptor, opts: LoadOptions): Promise<DatasetSplits> {
  const root = dirname(file);
  switch (d.format) {
    case 'idx': {
      const splits = await loadIdxSplits(d.files, { inputShape: opts.inputShape, classNames: d.classNames, preprocessing: d.preprocessing });
      return withRoot({ path: file, ...splits }, root);
    }
    case 'npy': {
      const { train, test } = d.files;
      const files = {
        train: { x: arrayRef(train.x, 'x', 'train'), y: arrayRef(train.y, 'y', 'train') },
        test: { x: arrayRef(test.x, 'x', 'test'), y: arrayRef(test.y, 'y', 'test') },
      };
      const splits = await loadNpySplits({ files, classNames: d.classNames, preprocessing: d.preprocessing, inputShape: opts.inputShape });
      return withRoot({ path: file, ...splits }, root);
    }
    case 'images': {
      const splits = await loadImageFolderSplits({ files: d.files, classNames: d.classNames, preprocessing: d.preprocessing, inputShape: opts.inputShape, root });
      return { path: file, ...splits };
    }
    default: {
      const splits = await loadTabularSplits({ ...d, inputShape: opts.inputShape, root });
      return { path: file, ...splits };
    }
  }
}

function withRoot(splits: DatasetSplits, root: string): DatasetSplits {
  splits.train.root = root;
  splits.test.root = root;
  return splits;
}
