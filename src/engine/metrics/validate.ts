/** Shape and value checks shared by every metric, so bad input fails with a LetheError naming the set. */
import { LetheError } from '../util/errors';

/** Number of rows of an n × k row-major matrix; throws if k or the length does not fit. */
export function rowCount(matrix: ArrayLike<number>, k: number, what: string): number {
  if (!Number.isInteger(k) || k < 2) throw new LetheError(`needs at least 2 classes, got ${k}`, undefined, what);
  if (matrix.length % k !== 0) {
    throw new LetheError(`length ${matrix.length} is not a multiple of the ${k} classes`, undefined, what);
  }
  return matrix.length / k;
}

/** Checks that logits and labels describe the same non-empty set: finite logits, labels in [0, k). */
export function checkLabelledLogits(logits: Float32Array, labels: Int32Array, k: number, what: string): number {
  const n = rowCount(logits, k, what);
  if (n === 0) throw new LetheError('the set is empty', undefined, what);
  if (labels.length !== n) throw new LetheError(`${n} rows of logits but ${labels.length} labels`, undefined, what);
  for (let i = 0; i < logits.length; i++) {
    if (!Number.isFinite(logits[i])) {
      throw new LetheError(`logit ${logits[i]} at row ${Math.floor(i / k)} is not finite`, undefined, what);
    }
  }
  for (let i = 0; i < n; i++) {
    const y = labels[i];
    if (y < 0 || y >= k) throw new LetheError(`label ${y} at row ${i} is outside [0, ${k})`, undefined, what);
  }
  return n;
}

/** Two matrices that must be compared row by row. */
export function checkSameShape(a: ArrayLike<number>, b: ArrayLike<number>, k: number, what: string): number {
  const n = rowCount(a, k, what);
  if (b.length !== a.length) throw new LetheError(`shapes differ: ${a.length} vs ${b.length} values`, undefined, what);
  if (n === 0) throw new LetheError('the set is empty', undefined, what);
  return n;
}
