/** The one place example storage is allocated, bounded so a hostile header cannot ask for unbounded memory. */
import { LetheError } from '../util/errors';

/** At most 2^30 float32 values (4 GiB) per split. */
export const MAX_SPLIT_VALUES = 2 ** 30;

export function allocateExamples(count: number, features: number, file: string): Float32Array {
  const total = count * features;
  if (!Number.isSafeInteger(total) || total > MAX_SPLIT_VALUES) {
    throw new LetheError(`${count} examples × ${features} values exceed the ${MAX_SPLIT_VALUES}-value limit of one split`, file);
  }
  return new Float32Array(total);
}

export function productOf(shape: readonly number[]): number {
  return shape.reduce((p, d) => p * d, 1);
}
