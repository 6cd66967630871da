/** Index-set helpers the methods share: subsets, relabelling, class-forgetting detection. */
import { featureCount, gatherBatch } from '../../data/splits';
import type { Dataset } from '../../data/types';
import type { Rng } from '../../util/rng';
import type { MethodContext } from '../types';

export function numClasses(ctx: Pick<MethodContext, 'train'>): number {
  return ctx.train.classNames.length;
}

/** The rows of `ds` at `indices`, copied into fresh arrays (x row-major, y labels). */
export function gather(ds: Dataset, indices: ArrayLike<number>): { x: Float32Array; y: Int32Array } {
  const x = new Float32Array(indices.length * featureCount(ds));
  const y = new Int32Array(indices.length);
  gatherBatch(ds, indices, 0, indices.length, x, y);
  return { x, y };
}

/** A uniformly random subset of round(fraction·n) of `indices`, without replacement, in random order. */
export function randomFraction(indices: Int32Array, fraction: number, rng: Rng): Int32Array {
  const order = rng.permutation(indices.length);
  const k = Math.round(fraction * indices.length);
  const out = new Int32Array(k);
  for (let i = 0; i < k; i++) out[i] = indices[order[i]];
  return out;
}

/** Concatenation of index lists. */
export function concat(...parts: Int32Array[]): Int32Array {
  const out = new Int32Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A label drawn uniformly from the K − 1 classes other than `y` (amnesiac / LoTUS random labels). */
export function randomOtherLabel(y: number, k: number, rng: Rng): number {
  const r = rng.int(k - 1);
  return r >= y ? r + 1 : r;
}

/**
 * Classes whose every training example is in the forget set: non-empty means class forgetting
 * (LoTUS then takes a_V = 0, Fisher forgetting zeroes the class's head row, mnemonic needs it).
 */
export function forgottenClasses(train: Dataset, forget: Int32Array): number[] {
  const k = train.classNames.length;
  const inForget = new Int32Array(k);
  const total = new Int32Array(k);
  for (let i = 0; i < train.n; i++) total[train.y[i]]++;
  for (const i of forget) inForget[train.y[i]]++;
  const out: number[] = [];
  for (let c = 0; c < k; c++) if (total[c] > 0 && inForget[c] === total[c]) out.push(c);
  return out;
}

/**
 * The validation (unseen) set. The job runner holds it out of the test split (`ctx.validation` indexes
 * `ctx.test`), which is what LoTUS needs: θ₀ must never have trained on it.
 */
export function validationSet(ctx: Pick<MethodContext, 'test' | 'validation'>): { ds: Dataset; indices: Int32Array } {
  return { ds: ctx.test, indices: ctx.validation };
}
