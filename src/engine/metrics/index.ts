/** Public API of the metrics: the entry point, the catalogue and every metric as a plain function. */
export { computeMetrics, type MetricFamily, type MetricsInput, type MetricsOptions, type MetricsOutput, type KlomInput, type TimingInput } from './compute';
export { METRICS, klomMetricId, type MetricInfo, type KlomStat } from './catalogue';
export { accuracy, perClassAccuracy, predictedClasses } from './accuracy';
export { forgottenClasses, accuracyOnClasses, forgettingEfficacy } from './classForgetting';
export { lotusAverageGap, salunAverageGap, roundTo2, type LotusGapScores, type SalunGapScores } from './gap';
export { entropyMia, confidenceMiaEfficacy, type EntropyMiaResult, type ConfidenceMiaResult, type ConfidenceMiaOptions } from './mia';
export { fitBalancedLogistic, predictsPositive, balancedWeight, type LogisticModel, type LogisticOptions } from './logisticRegression';
export { trainRbfSvm, svmDecisionValues, type RbfSvm, type SvmOptions } from './svm';
export { lotusJsd, meanJsd, LOTUS_TABLE_SCALE } from './jsd';
export { rfJsd } from './rfJsd';
export { klomOfSamples, klomPerExample, klomUpperBound, marginEnsemble, summariseKlom, type KlomOptions, type KlomSummary, type MarginEnsemble } from './klom';
export { softmaxRows, rowEntropies, trueClassProbabilities, margins } from './probabilities';
export { binCounts, linspace, sharedRange } from './histogram';
export { speedup, exampleGradients, costFraction } from './cost';
export { quantile, mean, std, sampleIndices } from './stats';
export { SPLITS, ROLES, type Split, type LogitsBySplit } from './types';
