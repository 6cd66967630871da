/** Public surface of the autodiff layer: training-step graphs, loss heads, validation, supported ops. */
export { buildTrainingGraph, type TrainingGraph, type TrainingGraphOptions } from './trainingGraph';
export type { LossTerm } from './losses';
export { validateModel } from './validate';
export { supportedOps } from './registry';
