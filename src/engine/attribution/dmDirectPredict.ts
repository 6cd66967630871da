/**
 * DM-Direct predictions (Georgiev et al. 2024, "Machine Unlearning via Simulated Oracle Matching",
 * Appendix C; docs/methods.md §2.2.2): the linear-datamodel counterfactual for removing the forget set F,
 *
 *   f̂_k(x) = f_{θ₀,k}(x) − m · Σ_{i∈F} β[i, x, k],   m = 1 in the reference code,
 *
 * for every evaluation point x that has attributions. It predicts outputs; it is not a model.
 */
import { LetheError } from '../util/errors';
import type { ScoreFileReader } from './scoreFile';

const WHERE = 'DM-Direct';

export interface DmDirectOptions {
  /** The DM multiplier m (reference: 1). */
  multiplier?: number;
  /** Keep only the diagonal terms (i = x), the reference code's optional flag: `diagonal[r]` is the target position of forget row r, or −1. */
  diagonal?: Int32Array;
}

/**
 * Predictions from in-memory attributions: `original` is T × K logits of θ₀ on the targets; `attributions`
 * holds |F| rows of T × K values (β of each forget example on each target and class).
 */
export function dmDirectPredict(original: Float32Array, attributions: Float32Array, forgetCount: number, classes: number, opts: DmDirectOptions = {}): Float32Array {
  const cols = original.length;
  if (cols % classes !== 0) throw new LetheError(`${cols} original logits are not a whole number of ${classes}-class rows`, undefined, WHERE);
  if (attributions.length !== forgetCount * cols) {
    throw new LetheError(`attributions hold ${attributions.length} values, not ${forgetCount} forget rows × ${cols / classes} targets × ${classes} classes`, undefined, WHERE);
  }
  const out = Float32Array.from(original);
  subtractRows(out, attributions, 0, forgetCount, classes, opts);
  return out;
}

/**
 * The same from a score file whose rows are training examples and whose columns are targets × classes,
 * reading only the forget rows, `blockRows` at a time.
 */
export async function dmDirectFromScoreFile(original: Float32Array, reader: ScoreFileReader, forgetRows: Int32Array, classes: number, opts: DmDirectOptions & { blockRows?: number } = {}): Promise<Float32Array> {
  if (reader.cols !== original.length) {
    throw new LetheError(`score file has ${reader.cols} columns but there are ${original.length} original logits (targets × classes)`, reader.path, WHERE);
  }
  for (const r of forgetRows) if (!(r >= 0 && r < reader.rows)) throw new LetheError(`forget row ${r} is outside the score file's 0..${reader.rows - 1}`, reader.path, WHERE);
  const out = Float32Array.from(original);
  const block = Math.max(1, opts.blockRows ?? Math.max(1, Math.floor(2 ** 22 / reader.cols)));
  for (let r0 = 0; r0 < forgetRows.length; r0 += block) {
    const rows = forgetRows.subarray(r0, Math.min(r0 + block, forgetRows.length));
    const values = await reader.readRowsAt(rows);
    subtractRows(out, values, r0, rows.length, classes, opts);
  }
  return out;
}

function subtractRows(out: Float32Array, rows: Float32Array, firstRow: number, count: number, classes: number, opts: DmDirectOptions): void {
  const m = opts.multiplier ?? 1;
  if (!Number.isFinite(m)) throw new LetheError(`multiplier ${m} must be finite`, undefined, WHERE);
  const cols = out.length;
  if (opts.diagonal) {
    for (let r = 0; r < count; r++) {
      const t = opts.diagonal[firstRow + r];
      if (t < 0) continue;
      for (let k = 0; k < classes; k++) out[t * classes + k] -= m * rows[r * cols + t * classes + k];
    }
    return;
  }
  for (let r = 0; r < count; r++) {
    const off = r * cols;
    for (let j = 0; j < cols; j++) out[j] -= m * rows[off + j];
  }
}
