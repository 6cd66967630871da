/** Shared by the training-mode BatchNormalization and LayerNormalization lowerings: batch/feature statistics as primitive ops. */
import type { GraphBuilder } from '../builder';
import { attr } from '../opdef';

export interface Standardized {
  mean: string;
  /** Biased variance (divides by the count), as both normalisations use. */
  variance: string;
  centered: string;
  /** 1 / √(variance + ε). */
  invStd: string;
}

/** Statistics over `axes` (kept as size-1 dims), emitted as differentiable primitives. */
export function standardize(b: GraphBuilder, x: string, axes: number[], epsilon: number): Standardized {
  const reduceMean = (v: string): string => b.op1('ReduceMean', [v, b.ints(axes)], { keepdims: attr.int(1) });
  const mean = reduceMean(x);
  const centered = b.op1('Sub', [x, mean]);
  const variance = reduceMean(b.op1('Mul', [centered, centered]));
  const invStd = b.op1('Reciprocal', [b.op1('Sqrt', [b.op1('Add', [variance, b.scalar(epsilon)])])]);
  return { mean, variance, centered, invStd };
}
