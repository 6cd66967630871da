/** The data layer's public surface: loading datasets, forget sets and splits. */
export type { Dataset, DatasetSplits, ForgetSetFile, ForgetSplit } from './types';
export { loadDataset, type LoadOptions } from './load';
export { DatasetDescriptor, isDescriptorPath, readDescriptor } from './descriptor';
export { readForgetSet, writeForgetSet, resolveForgetSet, forgetSetDatasetPath, ForgetSetSchema } from './forgetSet';
export { subset, seededSplit, firstFractionPerClass, classIndices, complementOf, gatherBatch, featureCount } from './splits';
export { FASHION_MNIST_CLASS_NAMES } from './labels';
