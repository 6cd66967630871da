/** Recognises a folder holding the four standard MNIST / Fashion-MNIST IDX files, gzipped or not, without a descriptor. */
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { IdxSplitFiles } from './idxDataset';
import { FASHION_MNIST_CLASS_NAMES, digitNames } from './labels';

const STANDARD_NAMES = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
};

async function exists(path: string): Promise<boolean> {
  return access(path).then(() => true, () => false);
}

/** The gzipped or raw file with this base name, preferring the raw one, or undefined when neither exists. */
async function findVariant(dir: string, base: string): Promise<string | undefined> {
  for (const name of [base, `${base}.gz`]) if (await exists(join(dir, name))) return join(dir, name);
  return undefined;
}

/** The four files when all are present, else undefined (the folder is not an MNIST folder). */
export async function findMnistFiles(dir: string): Promise<{ train: IdxSplitFiles; test: IdxSplitFiles } | undefined> {
  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all([
    findVariant(dir, STANDARD_NAMES.train.images), findVariant(dir, STANDARD_NAMES.train.labels),
    findVariant(dir, STANDARD_NAMES.test.images), findVariant(dir, STANDARD_NAMES.test.labels),
  ]);
  if (!trainImages || !trainLabels || !testImages || !testLabels) return undefined;
  return { train: { images: trainImages, labels: trainLabels }, test: { images: testImages, labels: testLabels } };
}

/** Fashion-MNIST's class names when the path says "fashion", else the digits '0'..'9'. */
export function mnistClassNames(path: string): string[] {
  return /fashion/i.test(path) ? FASHION_MNIST_CLASS_NAMES : digitNames(10);
}

export const MNIST_FILE_NAMES = Object.values(STANDARD_NAMES).flatMap((s) => [s.images, s.labels]);
