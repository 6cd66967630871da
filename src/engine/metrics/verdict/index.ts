/** Public API of the verdict: forgot or not, utility kept or lost, judged against noise bands (docs/verdict.md). */
export { judgeRun, type VerdictInput, type VerdictOptions, type VerdictResult, type MetricBands } from './judge';
export { bootstrap, pooledMean, type BootstrapOptions, type Resampled, type Statistic, type Weights } from './bootstrap';
