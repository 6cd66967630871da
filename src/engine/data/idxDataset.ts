/** Builds train/test datasets from IDX image + label files (MNIST-style), preprocessed for the model. */
import { LetheError } from '../util/errors';
import type { Dataset } from './types';
import type { Preprocessing } from './descriptor';
import { readIdx, type IdxArray, type IdxValues } from './idx';
import { planImages, type ImagePlan } from './layout';
import { writeImage, resizeBilinear } from './pixels';
import { applyMeanStd } from './normalize';
import { allocateExamples } from './allocate';
import { checkNumericLabels, namesForNumericLabels } from './labels';

export interface IdxSplitFiles {
  images: string;
  labels: string;
}

export interface IdxLoadOptions {
  inputShape?: (number | string)[];
  classNames?: string[];
  preprocessing: Preprocessing;
}

type Split = 'train' | 'test';

export async function loadIdxSplits(files: Record<Split, IdxSplitFiles>, opts: IdxLoadOptions): Promise<{ train: Dataset; test: Dataset; classNames: string[] }> {
  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all([
    readIdx(files.train.images), readIdx(files.train.labels), readIdx(files.test.images), readIdx(files.test.labels),
  ]);
  const classNames = namesForNumericLabels(opts.classNames, [
    { values: trainLabels.values, file: files.train.labels },
    { values: testLabels.values, file: files.test.labels },
  ]);
  const build = (split: Split, images: IdxArray, labels: IdxArray) => buildSplit(split, files[split], images, labels, classNames, opts);
  return { train: build('train', trainImages, trainLabels), test: build('test', testImages, testLabels), classNames };
}

function buildSplit(split: Split, files: IdxSplitFiles, images: IdxArray, labels: IdxArray, classNames: string[], opts: IdxLoadOptions): Dataset {
  const [n, height, width, channels = 1] = images.dims;
  if (images.dims.length < 3 || images.dims.length > 4 || (images.dims.length === 4 && channels !== 1 && channels !== 3 && channels !== 4)) {
    throw new LetheError(`image IDX dims ${images.dims.join('×')} are not count×height×width[×channels]`, files.images, 'header');
  }
  if (labels.dims.length !== 1) throw new LetheError(`label IDX must have one dimension, has ${labels.dims.join('×')}`, files.labels, 'header');
  if (labels.dims[0] !== n) throw new LetheError(`${labels.dims[0]} labels for ${n} images in ${files.images}`, files.labels, 'header');
  const pre = opts.preprocessing;
  const plan = planImages({ channels, height, width }, { inputShape: opts.inputShape, layout: pre.layout, channels: pre.channels, size: pre.size }, files.images);
  const x = fillExamples(images.values, n, { channels, height, width }, plan, pre.scale ?? (images.unsignedBytes ? 1 / 255 : 1), files.images);
  applyMeanStd(x, plan.exampleShape, plan.exampleShape.length === 3 ? plan.order : undefined, pre, files.images);
  return {
    x,
    y: checkNumericLabels(labels.values, classNames.length, files.labels, (i) => `label ${i}`),
    n,
    exampleShape: plan.exampleShape,
    ids: Array.from({ length: n }, (_, i) => `${split}:${i}`),
    classNames,
    sources: [files.images, files.labels],
  };
}

function fillExamples(values: IdxValues, n: number, native: { channels: number; height: number; width: number }, plan: ImagePlan, scale: number, file: string): Float32Array {
  const features = plan.channels * plan.height * plan.width;
  const x = allocateExamples(n, features, file);
  const nativeSize = native.channels * native.height * native.width;
  const sameSize = native.height === plan.height && native.width === plan.width;
  for (let i = 0; i < n; i++) {
    if (sameSize) writeImage(values, i * nativeSize, native.channels, plan, scale, x, i * features);
    else {
      const image = values.subarray(i * nativeSize, (i + 1) * nativeSize);
      writeImage(resizeBilinear(image, native.height, native.width, native.channels, plan.height, plan.width), 0, native.channels, plan, scale, x, i * features);
    }
  }
  return x;
}
