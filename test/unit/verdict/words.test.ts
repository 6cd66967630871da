import { describe, expect, it } from 'vitest';
import { verdictSentence } from '../../../src/engine/contracts/verdictWords';
import { judgeRun } from '../../../src/engine/metrics/verdict';
import { K, ORIGINAL, REFERENCE, world } from './world';

describe('verdictSentence (CLI summary, report view)', () => {
  const w = world();
  const judge = (unlearned: typeof ORIGINAL, references: (typeof ORIGINAL)[]) =>
    judgeRun({ k: K, labels: w.labels, models: { original: w.model(ORIGINAL), unlearned: w.model(unlearned) }, references: references.map((r) => w.model(r)), options: { resamples: 100 } })!.verdict;

  it('names both verdicts with the metric each turns on, its target and band', () => {
    expect(verdictSentence(judge(REFERENCE, [REFERENCE]))).toMatch(
      /^Verdict: forgot \(forget accuracy 0\.\d{3} vs reference 0\.\d{3} ± 0\.\d{3}\); utility kept \(retain accuracy 0\.\d{3} vs reference 0\.\d{3} ± 0\.\d{3}\)$/,
    );
    // Over-forgetting is explained by the metric that went past the reference.
    expect(verdictSentence(judge({ ...ORIGINAL, forget: -2 }, [REFERENCE]))).toMatch(/^Verdict: over-forgot \(forget accuracy /);
  });

  it('flags a retrain-free verdict as weaker evidence', () => {
    const sentence = verdictSentence(judge(ORIGINAL, []));
    expect(sentence).toMatch(/^Verdict: not forgotten \(forget − unseen accuracy 0\.\d{3} vs unseen data 0\.000 ± 0\.\d{3}\); utility kept/);
    expect(sentence).toContain('[retrain-free: weaker evidence, no reference model]');
  });
});
