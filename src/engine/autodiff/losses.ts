/**
 * Loss heads appended to the logits before differentiation. The loss is a sum of terms; each term is
 * Σ_i w_i·ℓ_i / B over the batch, with its own per-example weights w (negative weights give ascent).
 * Cross-entropy terms fold weights, targets and 1/B into one coefficient matrix made on the host, so their
 * head is LogSoftmax, Mul and one ReduceSum (3 forward and 6 backward ops instead of 7 and 13): on a small
 * model such as the fixture MLP those ops are a tenth of the step.
 */
import type { GraphBuilder } from './builder';
import { attr } from './opdef';

export type LossTerm =
  /** Cross-entropy with hard labels. */
  | { kind: 'ce' }
  /** Cross-entropy with target distributions [B, K]. */
  | { kind: 'soft-ce' }
  /** KL(softmax(t/T) ‖ softmax(z/T))·T² to teacher logits t [B, K] (distillation). */
  | { kind: 'kl'; temperature: number }
  /** Mean over classes of (z − target)², targets [B, K]. */
  | { kind: 'mse' };

/**
 * The graph inputs of one term: cross-entropy terms read coefficients c_ik = −w_i·t_ik / B [B, K] (t the
 * one-hot label or the target distribution); the others read their targets [B, K] and weights [B].
 */
export type LossInput = { coefficients: string } | { targets: string; weights: string };

export interface LossInputs {
  terms: LossInput[];
}

export function appendLoss(b: GraphBuilder, logits: string, terms: readonly LossTerm[]): { loss: string; inputs: LossInputs } {
  const [batch, classes] = b.shape(logits);
  const inputs: LossInputs = { terms: [] };
  const rows = (v: string, reduce: 'ReduceSum' | 'ReduceMean' = 'ReduceSum'): string => b.op1(reduce, [v, b.ints([1])], { keepdims: attr.int(0) });
  const mul = (x: string, y: string): string => b.op1('Mul', [x, y]);
  let logSoftmax: string | undefined;

  const parts = terms.map((term, i) => {
    if (term.kind === 'ce' || term.kind === 'soft-ce') {
      const coefficients = b.addInput(`lethe/loss${i}/coefficients`, b.dtype, [batch, classes]);
      inputs.terms.push({ coefficients });
      logSoftmax ??= b.op1('LogSoftmax', [logits], { axis: attr.int(1) });
      return b.op1('ReduceSum', [mul(coefficients, logSoftmax), b.ints([])], { keepdims: attr.int(0) });
    }
    const weights = b.addInput(`lethe/loss${i}/weights`, b.dtype, [batch]);
    const targets = b.addInput(`lethe/loss${i}/targets`, b.dtype, [batch, classes]);
    inputs.terms.push({ targets, weights });
    let perExample: string;
    if (term.kind === 'mse') {
      const diff = b.op1('Sub', [logits, targets]);
      perExample = rows(mul(diff, diff), 'ReduceMean');
    } else {
      const t = term.temperature;
      const soften = (v: string): string => (t === 1 ? v : mul(v, b.scalar(1 / t)));
      const teacherLog = b.op1('LogSoftmax', [soften(targets)], { axis: attr.int(1) });
      const studentLog = b.op1('LogSoftmax', [soften(logits)], { axis: attr.int(1) });
      const kl = rows(mul(b.op1('Exp', [teacherLog]), b.op1('Sub', [teacherLog, studentLog])));
      perExample = t === 1 ? kl : mul(kl, b.scalar(t * t));
    }
    const total = b.op1('ReduceSum', [mul(weights, perExample), b.ints([0])], { keepdims: attr.int(0) });
    return mul(total, b.scalar(1 / batch));
  });
  const loss = parts.length === 1 ? parts[0] : b.op1('Sum', parts);
  if (b.meta(loss).type !== b.dtype || b.shape(loss).length !== 0) throw new Error('internal: loss must be a float scalar');
  return { loss, inputs };
}
