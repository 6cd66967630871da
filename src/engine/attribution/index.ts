/** Data attribution: TRAK scores, exact convex ground truth, DM-Direct predictions, score files. */
export { attributeTopK, type Attribution, type AttributeOptions } from './attribute';
export { cholesky, choleskyInverse, choleskySolve, lowerInverseTransposed } from './cholesky';
export { dmDirectFromScoreFile, dmDirectPredict, type DmDirectOptions } from './dmDirectPredict';
export { dmDirectOutputs, type DmDirectOutputOptions, type DmDirectOutputs } from './dmDirectTargets';
export { decodeHalf, encodeHalf, fromHalfBits, toHalfBits } from './float16';
export { Gemm } from './gemm';
export { marginOf, oneMinusPFromLogits, type GradientBlock, type GradientSource, type OutputFunction } from './gradientSource';
export { OnnxGradientSource, type ExampleSet, type OnnxGradientOptions } from './onnxGradients';
export { gradientParameters, lastLayerParameters, type GradientParams } from './parameters';
export { CHUNK_ROWS, Projector, type ProjectionKind, type ProjectionSpec } from './projection';
export { ScoreFileReader, ScoreFileWriter, writeScoreFile, type ScoreDType, type ScoreFileHeader } from './scoreFile';
export { SoftmaxGradientSource } from './softmaxGradients';
export {
  fitSoftmaxRegression,
  influenceAttributions,
  newtonRemoval,
  retrainWithout,
  softmaxHessian,
  softmaxLogits,
  softmaxLossGradients,
  type ConvexData,
  type SoftmaxRegression,
} from './softmaxRegression';
export { TopKCollector, topKOfMatrix, topKOfScoreFile, type TopK } from './topK';
export { featurize, prepareTrak, trak, trakScores, type ScoreRequest, type TrakCheckpoint, type TrakOptions, type TrakState } from './trak';
