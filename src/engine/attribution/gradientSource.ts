/**
 * Where attribution gets per-example gradients: one model over one dataset. TRAK needs, for each example,
 * the gradient of a scalar *output function* with respect to the chosen parameters (Park et al. 2023, §3.2):
 * the margin for training examples (and targets, for classic TRAK scores), or a single class logit (for the
 * per-class datamodel weights DM-Direct subtracts).
 */
export type OutputFunction =
  /** φ(x) = f_y(x) − log Σ_{k≠y} exp f_k(x) = log(p_y / (1 − p_y)), TRAK's output for classifiers. */
  | { kind: 'margin' }
  /** f_c(x): the class-c logit. */
  | { kind: 'logit'; cls: number };

export interface GradientBlock {
  /** Position of the first example of the block within the requested indices. */
  start: number;
  count: number;
  /** count × paramCount, row-major. */
  grads: Float32Array;
}

export interface GradientSource {
  /** P: length of one gradient. */
  readonly paramCount: number;
  readonly classes: number;
  /** Labels of all examples of the dataset (the margin uses them). */
  readonly labels: Int32Array;
  /** Logits (count × K) of the given examples. */
  logits(indices: Int32Array): Promise<Float32Array>;
  /** Per-example gradients of the output function, in blocks covering the indices in order. */
  gradients(indices: Int32Array, output: OutputFunction): AsyncIterable<GradientBlock>;
}

/** log(p_y/(1 − p_y)) = f_y − logsumexp_{k≠y} f_k, computed without forming 1 − p_y (memorised examples have p_y ≈ 1). */
export function marginOf(logits: ArrayLike<number>, offset: number, classes: number, y: number): number {
  let max = -Infinity;
  for (let k = 0; k < classes; k++) if (k !== y && logits[offset + k] > max) max = logits[offset + k];
  let s = 0;
  for (let k = 0; k < classes; k++) if (k !== y) s += Math.exp(logits[offset + k] - max);
  return logits[offset + y] - (max + Math.log(s));
}

/**
 * The weights w with ∇φ = Jᵀw for the margin: w = e_y − q, q = softmax of the logits over k ≠ y (q_y = 0).
 * Output functions are linear in the logits' Jacobian, so a gradient engine only needs these weights.
 */
export function marginLogitWeights(logits: ArrayLike<number>, offset: number, classes: number, y: number, out: Float32Array | Float64Array): void {
  let max = -Infinity;
  for (let k = 0; k < classes; k++) if (k !== y && logits[offset + k] > max) max = logits[offset + k];
  let s = 0;
  for (let k = 0; k < classes; k++) s += out[k] = k === y ? 0 : Math.exp(logits[offset + k] - max);
  for (let k = 0; k < classes; k++) out[k] = (k === y ? 1 : 0) - out[k] / s;
}

/** 1 − p_y = σ(−margin), TRAK's per-training-example factor Q (from ∂ℓ/∂φ for ℓ = log(1 + e^{−φ})). */
export function oneMinusPFromLogits(logits: ArrayLike<number>, offset: number, classes: number, y: number): number {
  return 1 / (1 + Math.exp(marginOf(logits, offset, classes, y)));
}
