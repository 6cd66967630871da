/**
 * Constructed runs where the right verdict is known: every model shares the same per-example noise and
 * differs only in how strongly it favours the true class on each split (its "signal"), so a model built
 * with the reference's signals IS the reference, and one with the original's signals IS the original.
 */
import type { LogitsBySplit, Split } from '../../../src/engine/metrics/types';
import { Rng } from '../../../src/engine/util/rng';

export const K = 5;
export type Signals = Record<Split, number>;

/** A memorising original: sure of every training example, less so of unseen ones. */
export const ORIGINAL: Signals = { forget: 6, retain: 6, test: 2, validation: 2 };
/** A retrain without F: F looks like unseen data to it. */
export const REFERENCE: Signals = { forget: 2, retain: 6, test: 2, validation: 2 };

export interface World {
  labels: Record<Split, Int32Array>;
  /** A model with these signals; `jitter` adds independent noise of that scale (another training seed). */
  model(signals: Signals, jitter?: { seed: number; scale: number }): LogitsBySplit;
}

const SPLITS: Split[] = ['forget', 'retain', 'test', 'validation'];

/**
 * Random forgetting: labels cycle through the classes on every split. Class forgetting (`forgetClass`):
 * F holds only that class and R none of it; a model's `forgetClassSignal` then applies to that class's
 * logit on every split (very negative: the class is never predicted, as by a retrain without it).
 */
export function world(sizes: Record<Split, number> = { forget: 400, retain: 2000, test: 1000, validation: 500 }, seed = 1, forgetClass?: number): World {
  const rng = new Rng(seed);
  const labels = {} as Record<Split, Int32Array>;
  const noise = {} as Record<Split, Float32Array>;
  for (const split of SPLITS) {
    const n = sizes[split];
    labels[split] = Int32Array.from({ length: n }, (_, i) => {
      if (forgetClass === undefined) return i % K;
      if (split === 'forget') return forgetClass;
      if (split === 'retain') return forgetClass === 0 ? 1 + (i % (K - 1)) : i % (K - 1);
      return i % K;
    });
    noise[split] = Float32Array.from({ length: n * K }, () => 1.5 * rng.normal());
  }
  return {
    labels,
    model(signals, jitter) {
      const extra = jitter && new Rng(jitter.seed);
      const out: LogitsBySplit = {};
      for (const split of SPLITS) {
        const y = labels[split];
        out[split] = Float32Array.from(noise[split], (v, j) => {
          const i = Math.floor(j / K);
          const c = j % K;
          return v + (c === y[i] ? signals[split] : 0) + (extra ? jitter!.scale * extra.normal() : 0);
        });
      }
      return out;
    },
  };
}

/** The same logits with the class `c` column shifted by `shift` on every split (a class pushed out or kept). */
export function shiftClass(model: LogitsBySplit, c: number, shift: number): LogitsBySplit {
  const out: LogitsBySplit = {};
  for (const [split, logits] of Object.entries(model) as [Split, Float32Array][]) {
    out[split] = Float32Array.from(logits, (v, j) => (j % K === c ? v + shift : v));
  }
  return out;
}
