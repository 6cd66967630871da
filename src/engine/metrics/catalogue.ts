/** What every metric means, for the report: label, group, definition, direction, what a good value is, unit. */
import type { MetricEntry } from '../contracts/report';
import type { Split } from './types';

export type MetricInfo = Omit<MetricEntry, 'id' | 'values'>;

const KLOM_SPLITS: Split[] = ['forget', 'retain', 'test', 'validation'];
const KLOM_STATS = {
  p95: '95th percentile',
  p99: '99th percentile',
  mean: 'mean',
  std: 'standard deviation',
} as const;
export type KlomStat = keyof typeof KLOM_STATS;

const SHARE = 'as a share in [0, 1]';

/** Catalogue in report order; keys are the MetricEntry ids. */
export const METRICS: Readonly<Record<string, MetricInfo>> = {
  'acc.forget': {
    label: 'Forget accuracy',
    group: 'accuracy',
    definition: `Top-1 accuracy on the forget set F, ${SHARE}. SalUn reports UA = 1 − this (×100).`,
    direction: 'reference',
    referenceValue: "≈ the retrained model's value (0 when a whole class is forgotten)",
    unit: '',
  },
  'acc.retain': {
    label: 'Retain accuracy',
    group: 'accuracy',
    definition: `Top-1 accuracy on the retain set R = D \\ F, ${SHARE}.`,
    direction: 'reference',
    referenceValue: "≈ the retrained model's value (and the original's); far below it, unlearning cost utility",
    unit: '',
  },
  'acc.test': {
    label: 'Test accuracy',
    group: 'accuracy',
    definition: `Top-1 accuracy on the test set T, ${SHARE}.`,
    direction: 'reference',
    referenceValue: "≈ the retrained model's value, which falls below the original's when a whole class is forgotten",
    unit: '',
  },
  'acc.validation': {
    label: 'Validation accuracy',
    group: 'accuracy',
    definition: `Top-1 accuracy on the held-out validation set V, ${SHARE}.`,
    direction: 'reference',
    referenceValue: "≈ the retrained model's value",
    unit: '',
  },
  'gap.lotus': {
    label: 'Average gap (LoTUS)',
    group: 'accuracy',
    definition: '¼ Σ |value − reference value| over entropy MIA, forget, retain and test accuracy (0–1 scale).',
    direction: 'lower',
    referenceValue: '0. LoTUS, ResNet18 CIFAR-10: LoTUS 0.0375, finetuning 0.1375',
    unit: '',
  },
  'gap.salun': {
    label: 'Average gap (SalUn)',
    group: 'accuracy',
    definition: 'Mean |value − reference value| over UA, RA, TA and SVC MIA-efficacy, in percentage points.',
    direction: 'lower',
    referenceValue: '0',
    unit: '%',
  },
  'mia.entropy': {
    label: 'MIA (entropy, logistic regression)',
    group: 'privacy',
    definition:
      'A class-balanced logistic regression on softmax entropy learns retain (members) vs test and validation (non-members); value = share of F it calls members.',
    direction: 'reference',
    referenceValue: "≈ the retrained model's value (0.76 for ResNet18 CIFAR-10 in LoTUS); values far below it over-forget",
    unit: '',
  },
  'mia.svc': {
    label: 'MIA-efficacy (confidence, SVC)',
    group: 'privacy',
    definition:
      'An RBF SVC (C = 3) on the true-class probability learns retain (members) vs test (non-members); value = share of F it calls non-members.',
    direction: 'reference',
    referenceValue: "≈ the retrained model's value; higher means more of F looks unseen",
    unit: '',
  },
  'jsd.lotus': {
    label: 'JSD to reference ×10⁴ (LoTUS form)',
    group: 'divergence',
    definition:
      'LoTUS JSD between this model and the reference on F: whole-matrix-normalised softmax outputs, ½[KL(M‖P) + KL(M‖Q)] / |F|, ×10⁴. Depends on |F|.',
    direction: 'lower',
    referenceValue: '0. LoTUS, ResNet18 CIFAR-10: LoTUS 0.30, finetuning 1.03',
    unit: '',
  },
  'jsd.mean': {
    label: 'JSD to reference (per-example mean)',
    group: 'divergence',
    definition: 'Mean over F of the textbook JSD ½[KL(P‖M) + KL(Q‖M)] between this model and the reference, in nats.',
    direction: 'lower',
    referenceValue: '0 (at most ln 2 ≈ 0.693)',
    unit: '',
  },
  'rfjsd.lotus': {
    label: 'RF-JSD ×10⁴ (retrain-free)',
    group: 'divergence',
    definition:
      "LoTUS JSD between this model's class-mean outputs on F and the original model's class-mean outputs on the test set, ×10⁴. Needs no retrained model.",
    direction: 'reference',
    referenceValue: "≈ the retrained model's RF-JSD, not 0 (5.97 for ResNet18 CIFAR-10 in LoTUS)",
    unit: '',
  },
  ...klomEntries(),
  'mnemonic.forgotten': {
    label: 'Test accuracy on forgotten classes',
    group: 'mnemonic',
    definition: `Top-1 test accuracy on the classes forgotten whole (in F and not in R), ${SHARE}.`,
    direction: 'reference',
    referenceValue: "≈ the retrained model's value, usually 0",
    unit: '',
  },
  'mnemonic.remaining': {
    label: 'Test accuracy on remaining classes (A_R)',
    group: 'mnemonic',
    definition: `Top-1 test accuracy on every other class, ${SHARE}. The mnemonic-code paper reports it ×100.`,
    direction: 'reference',
    referenceValue: "≈ the retrained model's value (and the original's)",
    unit: '',
  },
  'mnemonic.ef': {
    label: 'Forgetting efficacy (E_F)',
    group: 'mnemonic',
    definition:
      "100 · (1 − accuracy / original model's accuracy) on the forgotten classes' test examples (our reading of the mnemonic-code paper).",
    direction: 'reference',
    referenceValue: "≈ the retrained model's value, about 100 (mnemonic code: 100 on MNIST and CIFAR-10)",
    unit: '%',
  },
  'cost.seconds': {
    label: 'Time',
    group: 'cost',
    definition: 'Wall-clock seconds of unlearning (for the reference: of retraining), evaluation excluded.',
    direction: 'lower',
    unit: 's',
  },
  'cost.speedup': {
    label: 'Speed-up over retraining',
    group: 'cost',
    definition: 'Retraining time / unlearning time.',
    direction: 'higher',
    referenceValue: '> 1 (LoTUS on ResNet18 CIFAR-10: 18×)',
    unit: 'x',
  },
  'cost.fraction': {
    label: 'Compute vs retraining',
    group: 'cost',
    definition: 'Example-gradient evaluations of unlearning / those of retraining.',
    direction: 'lower',
    referenceValue: '≪ 1 (DMM: a few percent)',
    unit: '',
  },
};

export function klomMetricId(split: Split, stat: KlomStat): string {
  return `klom.${split}.${stat}`;
}

function klomEntries(): Record<string, MetricInfo> {
  const out: Record<string, MetricInfo> = {};
  for (const split of KLOM_SPLITS) {
    for (const [stat, words] of Object.entries(KLOM_STATS) as [KlomStat, string][]) {
      out[klomMetricId(split, stat)] = {
        label: `KLoM ${split} (${words})`,
        group: 'klom',
        definition: `${words[0].toUpperCase()}${words.slice(1)} over the ${split} set of KLoM(x): the KL divergence between histograms (20 bins by default) of x's margins under N models of this kind and N retrained oracles.`,
        direction: 'lower',
        referenceValue:
          split === 'forget'
            ? 'the oracle-vs-oracle floor; doing nothing scores ≈ 9–10 (maximum ≈ 11.5)'
            : 'the oracle-vs-oracle floor (≈ 0.65 for the 95th percentile with N = 100)',
        unit: '',
      };
    }
  }
  return out;
}
