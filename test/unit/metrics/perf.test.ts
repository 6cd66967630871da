import { describe, expect, it } from 'vitest';
import { computeMetrics, type MetricsInput } from '../../../src/engine/metrics';
import { Rng } from '../../../src/engine/util/rng';
import { syntheticSet } from './synthetic';

describe('computeMetrics performance sanity', () => {
  it('60k retain / 10k test / 6k forget × 10 classes, three models', () => {
    const rng = new Rng(7);
    const k = 10;
    const sizes = { forget: 6_000, retain: 60_000, test: 10_000 };
    // Original memorised the training data (signal 6), the reference and unlearned models did not see F (signal 3 there).
    const signal = {
      original: { forget: 6, retain: 6, test: 3 },
      unlearned: { forget: 3.5, retain: 5.5, test: 3 },
      reference: { forget: 3, retain: 6, test: 3 },
    } as const;
    const input: MetricsInput = { classNames: Array.from({ length: k }, (_, c) => `c${c}`), labels: {}, logits: {} };
    for (const role of ['original', 'unlearned', 'reference'] as const) {
      input.logits[role] = {};
      for (const split of ['forget', 'retain', 'test'] as const) {
        const set = syntheticSet(rng, sizes[split], k, signal[role][split]);
        input.logits[role]![split] = set.logits;
        input.labels[split] = set.labels; // labels cycle through the classes, identical across roles
      }
    }
    const start = performance.now();
    const out = computeMetrics(input);
    const seconds = (performance.now() - start) / 1000;
    console.log(`computeMetrics on 60k/10k/6k × 10 classes × 3 models: ${seconds.toFixed(2)} s`);
    expect(out.metrics.map((m) => m.id)).toEqual(
      expect.arrayContaining(['acc.forget', 'mia.entropy', 'mia.svc', 'gap.lotus', 'gap.salun', 'jsd.lotus', 'jsd.mean', 'rfjsd.lotus']),
    );
  });
});
