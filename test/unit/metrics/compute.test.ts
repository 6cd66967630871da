import { describe, expect, it } from 'vitest';
import {
  METRICS,
  accuracy,
  computeMetrics,
  confidenceMiaEfficacy,
  entropyMia,
  klomPerExample,
  klomUpperBound,
  lotusAverageGap,
  lotusJsd,
  marginEnsemble,
  meanJsd,
  rfJsd,
  rowEntropies,
  salunAverageGap,
  softmaxRows,
  summariseKlom,
  trueClassProbabilities,
  type MetricsInput,
  type Split,
} from '../../../src/engine/metrics';
import type { ModelRole } from '../../../src/engine/contracts/report';
import { LetheError } from '../../../src/engine/util/errors';
import { Rng } from '../../../src/engine/util/rng';
import { syntheticSet, type SyntheticSet } from './synthetic';

const K = 4;
const CLASS_NAMES = ['a', 'b', 'c', 'd'];
const SIZES: Record<Split, number> = { forget: 60, retain: 400, test: 200, validation: 100 };
// Signal strength of the true-class logit: the original memorised F and R; the reference never saw F.
const SIGNAL: Record<ModelRole, Record<Split, number>> = {
  original: { forget: 5, retain: 5, test: 2, validation: 2 },
  unlearned: { forget: 2.5, retain: 4.5, test: 2, validation: 2 },
  reference: { forget: 2, retain: 5, test: 2, validation: 2 },
};

/** Drops class 3 from a set, so that class has no forget examples. */
function withoutLastClass(set: SyntheticSet): SyntheticSet {
  const keep = [...set.labels.keys()].filter((i) => set.labels[i] !== K - 1);
  return {
    labels: Int32Array.from(keep, (i) => set.labels[i]),
    logits: Float32Array.from(keep.flatMap((i) => Array.from(set.logits.subarray(i * K, (i + 1) * K)))),
  };
}

function fullInput(): MetricsInput {
  const rng = new Rng(40);
  const input: MetricsInput = { classNames: CLASS_NAMES, labels: {}, logits: {}, options: { seed: 3 } };
  for (const role of ['original', 'unlearned', 'reference'] as const) {
    input.logits[role] = {};
    for (const split of ['forget', 'retain', 'test', 'validation'] as const) {
      let set = syntheticSet(rng, SIZES[split], K, SIGNAL[role][split]);
      if (split === 'forget') set = withoutLastClass(set);
      input.logits[role]![split] = set.logits;
      input.labels[split] = set.labels; // syntheticSet cycles labels, so they agree across roles
    }
  }
  return input;
}

const valueOf = (out: ReturnType<typeof computeMetrics>, id: string) => out.metrics.find((m) => m.id === id)?.values;

describe('computeMetrics', () => {
  const input = fullInput();
  const out = computeMetrics(input);
  const L = (role: ModelRole, split: Split) => input.logits[role]![split]!;
  const y = (split: Split) => input.labels[split]!;
  const probs = (role: ModelRole, split: Split) => softmaxRows(L(role, split), K);

  it('reports accuracies equal to direct computation, for every role and set', () => {
    for (const split of ['forget', 'retain', 'test', 'validation'] as const) {
      for (const role of ['original', 'unlearned', 'reference'] as const) {
        expect(valueOf(out, `acc.${split}`)![role]).toBe(accuracy(L(role, split), y(split), K));
      }
    }
  });

  it('uses retain as members and test + validation as non-members for the entropy MIA', () => {
    const H = (role: ModelRole, split: Split) => rowEntropies(probs(role, split), K);
    for (const role of ['original', 'unlearned', 'reference'] as const) {
      const nonMembers = Float64Array.from([...H(role, 'test'), ...H(role, 'validation')]);
      const direct = entropyMia({ forget: H(role, 'forget'), members: H(role, 'retain'), nonMembers });
      expect(valueOf(out, 'mia.entropy')![role]).toBe(direct.value);
      const conf = (split: Split) => trueClassProbabilities(probs(role, split), y(split), K);
      const svc = confidenceMiaEfficacy({ forget: conf('forget'), retain: conf('retain'), test: conf('test') }, { seed: 3 });
      expect(valueOf(out, 'mia.svc')![role]).toBe(svc.value);
    }
    // The memorising original looks like it still holds F more than the reference does.
    const mia = valueOf(out, 'mia.entropy')!;
    expect(mia.original!).toBeGreaterThan(mia.reference!);
  });

  it('computes gaps, JSD and RF-JSD from the same numbers', () => {
    const v = (id: string, role: ModelRole) => valueOf(out, id)![role]!;
    const scores = (role: ModelRole) => ({ mia: v('mia.entropy', role), accForget: v('acc.forget', role), accRetain: v('acc.retain', role), accTest: v('acc.test', role) });
    expect(v('gap.lotus', 'unlearned')).toBeCloseTo(lotusAverageGap(scores('unlearned'), scores('reference')), 14);
    expect(valueOf(out, 'gap.lotus')!.reference).toBe(0); // the reference against itself
    const salun = (role: ModelRole) => ({ miaEfficacy: v('mia.svc', role), accForget: v('acc.forget', role), accRetain: v('acc.retain', role), accTest: v('acc.test', role) });
    expect(v('gap.salun', 'original')).toBeCloseTo(salunAverageGap(salun('original'), salun('reference')), 12);
    expect(v('jsd.lotus', 'unlearned')).toBeCloseTo(1e4 * lotusJsd(probs('unlearned', 'forget'), probs('reference', 'forget'), K), 10);
    expect(v('jsd.mean', 'original')).toBeCloseTo(meanJsd(probs('original', 'forget'), probs('reference', 'forget'), K), 14);
    const origTest = { probs: probs('original', 'test'), labels: y('test') };
    expect(v('rfjsd.lotus', 'reference')).toBeCloseTo(1e4 * rfJsd({ probs: probs('reference', 'forget'), labels: y('forget') }, origTest, K), 10);
    // The reference treats F like unseen data, the original does not.
    expect(v('rfjsd.lotus', 'reference')).toBeLessThan(v('rfjsd.lotus', 'original'));
  });

  it('carries the catalogue text on every entry, in catalogue order', () => {
    const ids = Object.keys(METRICS);
    let last = -1;
    for (const m of out.metrics) {
      const { values, id, band, ...info } = m;
      expect(info).toEqual(METRICS[id]);
      for (const width of Object.values(band ?? {})) expect(width).toBeGreaterThan(0);
      expect(Object.keys(values).length).toBeGreaterThan(0);
      expect(ids.indexOf(id)).toBeGreaterThan(last);
      last = ids.indexOf(id);
    }
  });

  it('returns the verdict and puts its noise bands on the metrics judged against the reference', () => {
    expect(out.verdict?.evidence).toBe('reference');
    expect(out.verdict?.references).toBe(1);
    expect(out.verdict?.noise).toEqual({ level: 0.95, resamples: 1000, seed: 3, referenceSpread: false });
    const forget = out.verdict!.forgetting.metrics.find((e) => e.metric === 'acc.forget')!;
    const entry = out.metrics.find((m) => m.id === 'acc.forget')!;
    expect(forget.value).toBe(entry.values.unlearned);
    expect(forget.target).toBe(entry.values.reference);
    expect(entry.band?.unlearned).toBe(forget.band);
    expect(out.metrics.find((m) => m.id === 'jsd.lotus')!.band).toBeUndefined();
  });

  it('takes every reference model for the verdict, and leaves it out when asked to', () => {
    const twice = computeMetrics({ ...input, references: [input.logits.reference!, input.logits.reference!], options: { seed: 3, verdict: { resamples: 50 } } });
    expect(twice.verdict?.references).toBe(2);
    expect(computeMetrics({ ...input, options: { include: { verdict: false } } }).verdict).toBeUndefined();
  });

  it('gives per-class accuracies with null for a class missing from a set', () => {
    expect(out.perClass.map((t) => t.split)).toEqual(['forget', 'retain', 'test', 'validation']);
    const forget = out.perClass[0];
    expect(forget.classNames).toEqual(CLASS_NAMES);
    expect(forget.values.unlearned![3]).toBeNull();
    expect(forget.values.unlearned!.slice(0, 3).every((a) => a !== null && a >= 0 && a <= 1)).toBe(true);
  });

  it('gives margin and confidence histograms whose edges are shared across models and sets', () => {
    for (const quantity of ['margin', 'confidence']) {
      const edges = out.histograms.find((h) => h.quantity === quantity)!.edges;
      for (const split of ['forget', 'retain', 'test', 'validation'] as const) {
        const hs = out.histograms.filter((h) => h.quantity === quantity && h.split === split);
        expect(hs.map((h) => h.role)).toEqual(['original', 'unlearned', 'reference']);
        for (const h of hs) {
          expect(h.edges).toEqual(edges);
          expect(h.counts).toHaveLength(30);
          expect(h.counts.reduce((a, b) => a + b, 0)).toBe(y(split).length);
        }
      }
    }
    const conf = out.histograms.find((h) => h.quantity === 'confidence')!;
    expect([conf.edges[0], conf.edges.at(-1)]).toEqual([0, 1]);
  });

  it('omits what a missing model or family needs', () => {
    const noReference = computeMetrics({ ...input, logits: { original: input.logits.original, unlearned: input.logits.unlearned } });
    const ids = noReference.metrics.map((m) => m.id);
    expect(ids).not.toContain('gap.lotus');
    expect(ids).not.toContain('jsd.lotus');
    expect(ids).toContain('rfjsd.lotus'); // retrain-free
    const noOriginal = computeMetrics({ ...input, logits: { unlearned: input.logits.unlearned, reference: input.logits.reference } });
    expect(noOriginal.metrics.map((m) => m.id)).not.toContain('rfjsd.lotus');
    const noMia = computeMetrics({ ...input, options: { include: { mia: false, histograms: false } } });
    expect(noMia.metrics.map((m) => m.id).filter((id) => id.startsWith('mia') || id.startsWith('gap'))).toEqual([]);
    expect(noMia.histograms).toEqual([]);
  });

  it('summarises KLoM per set and role, and reports time and cost', () => {
    const rng = new Rng(41);
    const models = (role: ModelRole, n: number) =>
      marginEnsemble(Array.from({ length: n }, () => syntheticSet(rng, SIZES.retain, K, SIGNAL[role].retain).logits), y('retain'), K);
    const oracle = models('reference', 8);
    const unlearned = models('unlearned', 8);
    const result = computeMetrics({
      ...input,
      options: { include: { mia: false } },
      klom: { oracle: { retain: oracle }, models: { unlearned: { retain: unlearned } } },
      timing: { unlearnSeconds: 2, referenceSeconds: 30, unlearnExampleGradients: 1_000, referenceExampleGradients: 40_000 },
    });
    const direct = summariseKlom(klomPerExample(unlearned, oracle));
    expect(valueOf(result, 'klom.retain.p95')).toEqual({ unlearned: direct.p95 });
    expect(valueOf(result, 'klom.retain.std')).toEqual({ unlearned: direct.std });
    expect(valueOf(result, 'klom.forget.p95')).toBeUndefined();
    const klomHistogram = result.histograms.filter((h) => h.quantity === 'klom');
    expect(klomHistogram.map((h) => [h.role, h.split])).toEqual([['unlearned', 'retain']]);
    expect(klomHistogram[0].counts.reduce((a, b) => a + b, 0)).toBe(SIZES.retain);
    expect(klomHistogram[0].edges.at(-1)).toBeCloseTo(klomUpperBound(), 14);
    expect(valueOf(result, 'cost.seconds')).toEqual({ unlearned: 2, reference: 30 });
    expect(valueOf(result, 'cost.speedup')).toEqual({ unlearned: 15 });
    expect(valueOf(result, 'cost.fraction')).toEqual({ unlearned: 0.025 });
  });

  it('rejects inconsistent input with a LetheError naming the model and set', () => {
    const noLabels = { ...input, labels: { ...input.labels, test: undefined } };
    expect(() => computeMetrics(noLabels)).toThrow(/test set: logits of the original model are given but no labels/);
    const short = { ...input, logits: { ...input.logits, unlearned: { ...input.logits.unlearned, retain: new Float32Array(8) } } };
    expect(() => computeMetrics(short)).toThrow(LetheError);
    expect(() => computeMetrics(short)).toThrow(/unlearned model on the retain set/);
    expect(() => computeMetrics({ ...input, classNames: ['only'] })).toThrow(/at least 2 class names/);
  });
});

describe('METRICS catalogue', () => {
  it('describes every metric completely', () => {
    for (const [id, info] of Object.entries(METRICS)) {
      expect(id).toMatch(/^[a-z]+(\.[a-z0-9]+)+$/);
      expect(info.label.length).toBeGreaterThan(3);
      expect(info.definition.length).toBeGreaterThan(20);
      expect(['accuracy', 'privacy', 'divergence', 'klom', 'cost', 'mnemonic']).toContain(info.group);
      expect(['higher', 'lower', 'reference']).toContain(info.direction);
      expect(['%', 'x', 's', '']).toContain(info.unit);
    }
  });
});
