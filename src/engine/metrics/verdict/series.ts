/**
 * What the verdict measures on each example, per model: is it classified correctly, and does the
 * entropy membership attack call it a member (docs/methods.md §3.1, §3.3 a). Computed once from the
 * logits; the bootstrap then only re-weights them.
 */
import { predictedClasses } from '../accuracy';
import { entropyMia } from '../mia';
import { predictsPositive } from '../logisticRegression';
import { modelSetOutputs, type SetOutputs } from '../modelOutputs';
import { rowEntropies } from '../probabilities';
import { concat } from '../stats';
import type { LogitsBySplit, Split } from '../types';

export interface ModelSeries {
  outputs: Partial<Record<Split, SetOutputs>>;
  /** 1 where the top-1 prediction is the label, per split. */
  correct: Partial<Record<Split, Float64Array>>;
  /**
   * 1 where this model's own entropy attack (members = retain, non-members = test and validation, as the
   * mia.entropy metric) calls the example a member; on forget, test and validation. Absent without retain and test.
   */
  member?: Partial<Record<Split, Float64Array>>;
}

export function modelSeries(logits: LogitsBySplit, labels: Partial<Record<Split, Int32Array>>, k: number, name: string, miaC?: number): ModelSeries {
  const outputs = modelSetOutputs(logits, labels, k, name);
  const correct: ModelSeries['correct'] = {};
  for (const [split, set] of Object.entries(outputs) as [Split, SetOutputs][]) {
    const predicted = predictedClasses(set.logits, k);
    correct[split] = Float64Array.from(predicted, (p, i) => (p === set.labels[i] ? 1 : 0));
  }
  return { outputs, correct, member: memberCalls(outputs, k, miaC) };
}

function memberCalls(outputs: ModelSeries['outputs'], k: number, C: number | undefined): ModelSeries['member'] {
  const { forget, retain, test, validation } = outputs;
  if (!forget || !retain || !test) return undefined;
  const entropy = (s: SetOutputs) => rowEntropies(s.probs, k);
  const [forgetH, testH, validationH] = [forget, test, validation].map((s) => s && entropy(s));
  const nonMembers = validationH ? concat(testH!, validationH) : testH!;
  const { model } = entropyMia({ forget: forgetH!, members: entropy(retain), nonMembers }, { C });
  const calls = (h: Float64Array) => Float64Array.from(h, (v) => (predictsPositive(model, v) ? 1 : 0));
  return { forget: calls(forgetH!), test: calls(testH!), ...(validationH ? { validation: calls(validationH) } : {}) };
}
