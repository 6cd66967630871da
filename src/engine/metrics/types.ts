/** Shared shapes of the metric inputs: plain arrays, no models. */
import type { ModelRole } from '../contracts/report';

/** The evaluation sets a metric can be computed on. */
export type Split = 'forget' | 'retain' | 'test' | 'validation';

export const SPLITS: readonly Split[] = ['forget', 'retain', 'test', 'validation'];

export const ROLES: readonly ModelRole[] = ['original', 'unlearned', 'reference'];

/** Logits of one model, n × K row-major, per split. */
export type LogitsBySplit = Partial<Record<Split, Float32Array>>;
