/** Membership-inference attacks used as unlearning metrics (docs/methods.md §3.3 a and b). */
import { LetheError } from '../util/errors';
import { Rng } from '../util/rng';
import { fitBalancedLogistic, predictsPositive, type LogisticModel } from './logisticRegression';
import { concat, pick, sampleIndices } from './stats';
import { svmDecisionValues, trainRbfSvm, type RbfSvm } from './svm';

export interface EntropyMiaResult {
  /** Share of forget examples the attack classifies as members, in [0, 1]. */
  value: number;
  model: LogisticModel;
  /**
   * With one feature the attack is a threshold: members are the entropies on `memberSide` of it.
   * null when the fitted slope is 0 and every example gets the same verdict.
   */
  threshold: number | null;
  memberSide: 'below' | 'above' | null;
}

/**
 * Entropy-feature MIA (Bad Teacher → SSD → SCRUB → LoTUS): a class-balanced logistic regression on the
 * softmax entropy, trained with members = retain and non-members = test (LoTUS also adds validation),
 * then applied to the forget set. Uses every example: the 1-D Newton fit is O(n) per step, so no subsampling.
 */
export function entropyMia(
  entropies: { forget: Float64Array; members: Float64Array; nonMembers: Float64Array },
  options: { C?: number } = {},
): EntropyMiaResult {
  const { forget, members, nonMembers } = entropies;
  if (forget.length === 0) throw new LetheError('the forget set is empty', undefined, 'entropy MIA');
  const x = concat(members, nonMembers);
  const isMember = new Uint8Array(x.length).fill(1, 0, members.length);
  const model = fitBalancedLogistic(x, isMember, options);
  let predictedMembers = 0;
  for (const h of forget) if (predictsPositive(model, h)) predictedMembers++;
  return {
    value: predictedMembers / forget.length,
    model,
    threshold: model.coef === 0 ? null : -model.intercept / model.coef,
    memberSide: model.coef === 0 ? null : model.coef < 0 ? 'below' : 'above',
  };
}

export interface ConfidenceMiaOptions {
  /** Seed of the subsampling (only used when a set is larger than `maxPerSide`). */
  seed: number;
  /** Largest number of shadow members and of shadow non-members (default 1000) so the SMO fit and the predictions stay well under a second. */
  maxPerSide?: number;
  /** SVC box constraint; SalUn uses 3. */
  C?: number;
}

export interface ConfidenceMiaResult {
  /** MIA-efficacy: share of forget examples predicted non-member, in [0, 1] (SalUn reports ×100). */
  value: number;
  svm: RbfSvm;
  membersUsed: number;
  nonMembersUsed: number;
}

/**
 * SVC "MIA-efficacy" (Unlearn-Sparse, SalUn) on the true-class confidence p(y|x): an RBF SVC with C = 3 and
 * gamma = "auto" (= 1 for one feature) learns members = retain vs non-members = test, and the value is the
 * share of forget examples it calls non-members. SalUn takes the first |T| retain examples as members; here
 * both sides are uniform seeded samples: members min(|R|, |T|, maxPerSide) of the retain set and non-members
 * min(|T|, maxPerSide) of the test set, so the two sides stay balanced as in SalUn.
 */
export function confidenceMiaEfficacy(
  confidences: { forget: Float64Array; retain: Float64Array; test: Float64Array },
  options: ConfidenceMiaOptions,
): ConfidenceMiaResult {
  const { forget, retain, test } = confidences;
  if (forget.length === 0) throw new LetheError('the forget set is empty', undefined, 'SVC MIA');
  const cap = options.maxPerSide ?? 1000;
  if (!Number.isInteger(cap) || cap < 1) throw new LetheError(`maxPerSide must be a positive integer, got ${cap}`, undefined, 'SVC MIA');
  const rng = new Rng(options.seed);
  const members = pick(retain, sampleIndices(retain.length, Math.min(test.length, cap), rng.fork()));
  const nonMembers = pick(test, sampleIndices(test.length, cap, rng.fork()));
  const x = concat(members, nonMembers);
  const isMember = new Uint8Array(x.length).fill(1, 0, members.length);
  const svm = trainRbfSvm(x, 1, isMember, { C: options.C ?? 3, gamma: 1 });
  const decisions = svmDecisionValues(svm, forget);
  let nonMember = 0;
  for (const d of decisions) if (!(d > 0)) nonMember++;
  return { value: nonMember / forget.length, svm, membersUsed: members.length, nonMembersUsed: nonMembers.length };
}
