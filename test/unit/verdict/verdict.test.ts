import { describe, expect, it } from 'vitest';
import { judgeRun, type VerdictInput } from '../../../src/engine/metrics/verdict';
import { K, ORIGINAL, REFERENCE, shiftClass, world, type Signals } from './world';

const w = world();
const original = w.model(ORIGINAL);
const reference = w.model(REFERENCE);

function run(unlearned: Signals | VerdictInput['models']['unlearned'], references = [reference], extra: Partial<VerdictInput> = {}) {
  const u = unlearned && 'forget' in unlearned && typeof unlearned.forget === 'number' ? w.model(unlearned as Signals) : (unlearned as VerdictInput['models']['unlearned']);
  const result = judgeRun({ k: K, labels: w.labels, models: { original, unlearned: u }, references, options: { resamples: 300 }, ...extra });
  if (!result) throw new Error('no verdict');
  return result;
}

const evidence = (r: ReturnType<typeof run>, metric: string) => [...r.verdict.forgetting.metrics, ...(r.verdict.utility?.metrics ?? [])].find((e) => e.metric === metric)!;

describe('verdict against a reference', () => {
  it('a model identical to the original has not forgotten', () => {
    const r = run(ORIGINAL);
    expect(r.verdict.evidence).toBe('reference');
    expect(r.verdict.forgetting.verdict).toBe('not forgotten');
    expect(r.verdict.utility?.verdict).toBe('kept');
    expect(evidence(r, 'acc.forget').finding).toBe('unmoved');
  });

  it('a model identical to the reference forgot, with zero distance on every metric', () => {
    const r = run(REFERENCE);
    expect(r.verdict.forgetting.verdict).toBe('forgot');
    expect(r.verdict.utility?.verdict).toBe('kept');
    for (const e of r.verdict.forgetting.metrics) expect(e.distance).toBe(0);
    expect(r.verdict.forgetting.reason).toMatch(/^every metric within noise of its target: forget accuracy 0\.\d{3} vs reference 0\.\d{3} ± 0\.\d{3}$/);
  });

  it('a model halfway between the two partly forgot', () => {
    const r = run({ ...ORIGINAL, forget: 4 });
    expect(r.verdict.forgetting.verdict).toBe('partly forgot');
    const acc = evidence(r, 'acc.forget');
    expect(acc.finding).toBe('partway');
    expect(acc.value).toBeLessThan(acc.original!);
    expect(acc.value).toBeGreaterThan(acc.target + acc.band);
  });

  it('a forget accuracy far below the reference, with MIA below it too, over-forgot', () => {
    const r = run({ ...ORIGINAL, forget: -2 });
    expect(r.verdict.forgetting.verdict).toBe('over-forgot');
    expect(evidence(r, 'acc.forget').finding).toBe('beyond');
    expect(evidence(r, 'acc.forget').distance).toBeLessThan(-1);
    expect(evidence(r, 'mia.entropy').value).toBeLessThan(evidence(r, 'mia.entropy').target);
  });

  it('collapsed retain and test accuracy lose utility', () => {
    const r = run({ forget: 2, retain: 0.3, test: 0.3, validation: 0.3 });
    expect(r.verdict.utility?.verdict).toBe('lost');
    expect(evidence(r, 'acc.retain').finding).toBe('lost');
    expect(evidence(r, 'acc.test').finding).toBe('lost');
  });

  it('keeps utility the original already had: below the reference beyond noise, but not below the original', () => {
    // An original a little weaker than the retrain on retain and test data; the unlearned model is as good as it.
    const weaker = { ...ORIGINAL, retain: 1.2, test: 1.2, validation: 1.2 };
    const r = judgeRun({ k: K, labels: w.labels, models: { original: w.model(weaker), unlearned: w.model({ ...weaker, forget: 2 }) }, references: [reference], options: { resamples: 300 } })!;
    const retain = evidence(r, 'acc.retain');
    expect(retain.value).toBeLessThan(retain.target - retain.band); // beyond the reference's noise…
    expect(retain.finding).toBe('kept'); // …but no loss against the original
    expect(r.verdict.utility?.verdict).toBe('kept');
    // Falling below the original as well is a loss.
    const worse = judgeRun({ k: K, labels: w.labels, models: { original: w.model(weaker), unlearned: w.model({ ...weaker, forget: 2, retain: 0.3, test: 0.3 }) }, references: [reference], options: { resamples: 300 } })!;
    expect(worse.verdict.utility?.verdict).toBe('lost');
  });

  it('calls differences inside the band within noise: forgot and utility kept', () => {
    // The reference with three forget examples and three test examples pushed to a wrong class.
    const nudged = Object.fromEntries(Object.entries(reference).map(([split, logits]) => [split, Float32Array.from(logits)]));
    for (const split of ['forget', 'test'] as const) {
      for (const i of [0, 1, 2]) nudged[split][i * K + ((w.labels[split][i] + 1) % K)] += 50;
    }
    const r = run(nudged);
    expect(r.verdict.forgetting.verdict).toBe('forgot');
    expect(r.verdict.utility?.verdict).toBe('kept');
    const acc = evidence(r, 'acc.forget');
    expect(acc.value).not.toBe(acc.target);
    expect(Math.abs(acc.distance)).toBeLessThanOrEqual(1);
  });

  it('gives the report bands for the metrics judged against the reference', () => {
    const r = run({ ...ORIGINAL, forget: 4 });
    for (const id of ['acc.forget', 'acc.retain', 'acc.test', 'acc.validation', 'mia.entropy', 'rfjsd.lotus', 'gap.lotus']) {
      expect(r.bands[id]?.unlearned, id).toBeGreaterThan(0);
      expect(r.bands[id]?.original, id).toBeGreaterThan(0);
    }
    expect(r.bands['acc.forget'].unlearned).toBe(evidence(r, 'acc.forget').band);
  });

  it('widens the bands with the spread between several reference models', () => {
    // Retrains with other seeds; the judged model is one more of them.
    const [another, ...references] = [4, 1, 2, 3].map((seed) => w.model(REFERENCE, { seed, scale: 1 }));
    const one = run(another, references.slice(0, 1));
    const three = run(another, references);
    expect(three.verdict.references).toBe(3);
    expect(three.verdict.noise.referenceSpread).toBe(true);
    expect(one.verdict.noise.referenceSpread).toBe(false);
    expect(evidence(three, 'acc.forget').targetLabel).toBe('mean of 3 references');
    expect(evidence(three, 'acc.forget').band).toBeGreaterThan(evidence(one, 'acc.forget').band);
    expect(three.verdict.forgetting.verdict).toBe('forgot');
  });

  it('judges the audited model alone when there is no unlearned model', () => {
    const result = judgeRun({ k: K, labels: w.labels, models: { original }, references: [reference], options: { resamples: 200 } })!;
    expect(result.verdict.forgetting.verdict).toBe('not forgotten');
    expect(result.verdict.notes.join(' ')).toContain('No model before unlearning');
    expect(result.bands['acc.forget'].original).toBeGreaterThan(0);
  });
});

describe('class forgetting against a reference', () => {
  const c = world(undefined, 2, 0);
  const orig = c.model(ORIGINAL);
  const ref = shiftClass(c.model({ ...ORIGINAL, forget: 2 }), 0, -20);
  const judge = (unlearned: ReturnType<typeof c.model>) =>
    judgeRun({ k: K, labels: c.labels, models: { original: orig, unlearned }, references: [ref], options: { resamples: 300 } })!;

  it('a class still about half recognised is partly forgotten, not forgotten', () => {
    // The class logit lowered just enough that about half of the class's test examples are still recognised.
    const half = shiftClass(orig, 0, -0.5);
    const r = judge(half);
    const forgotten = r.verdict.forgetting.metrics.find((e) => e.metric === 'mnemonic.forgotten')!;
    expect(forgotten.value).toBeGreaterThan(0.3);
    expect(forgotten.value).toBeLessThan(0.7);
    expect(r.verdict.forgetting.verdict).toBe('partly forgot');
  });

  it('judges test accuracy on the remaining classes for utility, so losing the class costs no utility', () => {
    const r = judge(ref);
    expect(r.verdict.forgetting.verdict).toBe('forgot');
    expect(r.verdict.utility?.verdict).toBe('kept');
    expect(r.verdict.utility?.metrics.map((e) => e.metric)).toEqual(['acc.retain', 'mnemonic.remaining']);
    expect(r.bands['mnemonic.ef']?.unlearned).toBeGreaterThan(0);
  });
});

describe('retrain-free verdict (no reference model)', () => {
  const free = (u: Signals) => run(u, []);

  it('is labelled as weaker evidence and uses forget-vs-unseen comparisons', () => {
    const r = free(ORIGINAL);
    expect(r.verdict.evidence).toBe('retrain-free (weaker)');
    expect(r.verdict.references).toBe(0);
    expect(r.verdict.forgetting.metrics.map((e) => e.metric)).toEqual(['rf.acc.forgetVsUnseen', 'rf.mia.forgetVsUnseen']);
    expect(r.verdict.forgetting.verdict).toBe('not forgotten');
    expect(r.verdict.utility?.verdict).toBe('kept');
    expect(r.bands).toEqual({});
    expect(r.verdict.notes[0]).toContain('No retrained reference');
  });

  it('forgot when the forget set looks like unseen data', () => {
    expect(free(REFERENCE).verdict.forgetting.verdict).toBe('forgot');
  });

  it('partly forgot halfway, over-forgot below unseen data', () => {
    expect(free({ ...ORIGINAL, forget: 4 }).verdict.forgetting.verdict).toBe('partly forgot');
    expect(free({ ...ORIGINAL, forget: -2 }).verdict.forgetting.verdict).toBe('over-forgot');
  });

  it('loses utility when retain and test accuracy fall below the original', () => {
    const r = free({ forget: 2, retain: 0.3, test: 0.3, validation: 0.3 });
    expect(r.verdict.utility?.verdict).toBe('lost');
    expect(r.verdict.utility?.metrics.every((e) => e.targetLabel === 'original')).toBe(true);
  });

  it('for a forgotten class, the target is no recognition at all', () => {
    const c = world(undefined, 2, 0);
    const orig = c.model(ORIGINAL);
    const gone = shiftClass(orig, 0, -20);
    const r = judgeRun({ k: K, labels: c.labels, models: { original: orig, unlearned: gone }, references: [], options: { resamples: 200 } })!;
    expect(r.verdict.forgetting.metrics.slice(0, 2).map((e) => [e.metric, e.target])).toEqual([['acc.forget', 0], ['mnemonic.forgotten', 0]]);
    expect(r.verdict.forgetting.verdict).not.toBe('not forgotten');
    const still = judgeRun({ k: K, labels: c.labels, models: { original: orig, unlearned: orig }, references: [], options: { resamples: 200 } })!;
    expect(still.verdict.forgetting.verdict).toBe('not forgotten');
  });
});

describe('determinism', () => {
  it('gives the same bands for the same seed and other bands for another seed', () => {
    const a = run({ ...ORIGINAL, forget: 4 }, [reference], { options: { seed: 7, resamples: 200 } });
    const b = run({ ...ORIGINAL, forget: 4 }, [reference], { options: { seed: 7, resamples: 200 } });
    const c = run({ ...ORIGINAL, forget: 4 }, [reference], { options: { seed: 8, resamples: 200 } });
    expect(b).toEqual(a);
    expect(c.bands['acc.forget'].unlearned).not.toBe(a.bands['acc.forget'].unlearned);
    expect(c.verdict.forgetting.verdict).toBe(a.verdict.forgetting.verdict);
  });
});
