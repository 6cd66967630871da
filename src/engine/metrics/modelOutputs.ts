/** Every model's logits on every set, checked once and with their softmax computed once for all metrics. */
import type { ModelRole } from '../contracts/report';
import { LetheError } from '../util/errors';
import { softmaxRows } from './probabilities';
import { ROLES, SPLITS, type LogitsBySplit, type Split } from './types';
import { checkLabelledLogits } from './validate';

/** Per-model, per-set quantities computed once and shared by the metrics. */
export interface SetOutputs {
  logits: Float32Array;
  labels: Int32Array;
  probs: Float64Array;
}

export type Outputs = Partial<Record<ModelRole, Partial<Record<Split, SetOutputs>>>>;

export function modelOutputs(
  logits: Partial<Record<ModelRole, LogitsBySplit>>,
  labels: Partial<Record<Split, Int32Array>>,
  k: number,
): Outputs {
  if (k < 2) throw new LetheError(`needs at least 2 class names, got ${k}`, undefined, 'metrics');
  const outputs: Outputs = {};
  for (const role of ROLES) {
    const model = logits[role];
    if (model) outputs[role] = modelSetOutputs(model, labels, k, `${role} model`);
  }
  return outputs;
}

/** One model's outputs on every set it has logits for; `name` says which model in errors. */
export function modelSetOutputs(logits: LogitsBySplit, labels: Partial<Record<Split, Int32Array>>, k: number, name: string): Partial<Record<Split, SetOutputs>> {
  const outputs: Partial<Record<Split, SetOutputs>> = {};
  for (const split of SPLITS) {
    const setLogits = logits[split];
    if (!setLogits) continue;
    const setLabels = labels[split];
    if (!setLabels) throw new LetheError(`logits of the ${name} are given but no labels`, undefined, `${split} set`);
    checkLabelledLogits(setLogits, setLabels, k, `${name} on the ${split} set`);
    outputs[split] = { logits: setLogits, labels: setLabels, probs: softmaxRows(setLogits, k) };
  }
  return outputs;
}
