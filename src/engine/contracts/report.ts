/**
 * The report: one versioned JSON document written as `report.json`, shown by the webview and
 * printed by `lethe unlearn --json`. Defined once here for the engine, the CLI and the webview.
 */
import type { JobSpec } from './jobSpec';

export const REPORT_SCHEMA_VERSION = 1;

/** Which model a value belongs to. */
export type ModelRole = 'original' | 'unlearned' | 'reference';

/** Which way is better for a metric. `reference` = closer to the retrained reference is better. */
export type Direction = 'higher' | 'lower' | 'reference';

export interface MetricEntry {
  id: string; // e.g. "acc.forget", "mia.entropy", "jsd.lotus"
  label: string;
  group: 'accuracy' | 'privacy' | 'divergence' | 'klom' | 'cost' | 'mnemonic';
  /** Formula and meaning in one or two sentences, shown in place. */
  definition: string;
  direction: Direction;
  /** What a good value looks like, in words (e.g. "≈ reference model's value"). */
  referenceValue?: string;
  unit?: '%' | 'x' | 's' | '';
  values: Partial<Record<ModelRole, number>>;
  /**
   * Per model, the half-width of the 95% noise band of (value − reference value): within it the model
   * cannot be told apart from the reference on this metric (docs/verdict.md). Absent when not estimated.
   */
  band?: Partial<Record<ModelRole, number>>;
}

/** One metric behind a verdict: the judged model against its target, in units of the noise band (docs/verdict.md). */
export interface VerdictEvidence {
  /** A report metric id (acc.forget, mia.entropy, …) or a retrain-free quantity (rf.acc.forgetVsUnseen, …). */
  metric: string;
  label: string;
  /** The judged model: the unlearned one, or the audited one in an audit. */
  value: number;
  /** The model before unlearning, when there is one. */
  original?: number;
  /** What the value should be: the reference models' mean, or the retrain-free target. */
  target: number;
  targetLabel: string;
  /** Half-width of the 95% noise band of (value − target). */
  band: number;
  /** (value − target) / band: within [−1, 1] is within noise. */
  distance: number;
  /**
   * Forgetting: matches the target, beyond it (over-forgot), partway from the original, or unmoved from it.
   * Utility: kept or lost.
   */
  finding: 'matches' | 'beyond' | 'partway' | 'unmoved' | 'kept' | 'lost';
}

export type ForgettingVerdict = 'forgot' | 'partly forgot' | 'not forgotten' | 'over-forgot';
export type UtilityVerdict = 'kept' | 'lost';

/** Did the model forget, and at what cost: the report's answer, judged against noise bands (docs/verdict.md). */
export interface Verdict {
  /** What the judgement rests on: retrained reference models, or only what the run has without one. */
  evidence: 'reference' | 'retrain-free (weaker)';
  /** Number of reference models behind the targets and their spread. */
  references: number;
  forgetting: { verdict: ForgettingVerdict; reason: string; metrics: VerdictEvidence[] };
  /** Absent when nothing can be compared with (an audit without a reference model). */
  utility?: { verdict: UtilityVerdict; reason: string; metrics: VerdictEvidence[] };
  noise: { level: 0.95; resamples: number; seed: number; referenceSpread: boolean };
  notes: string[];
}

export interface PerClassAccuracy {
  split: 'forget' | 'retain' | 'test' | 'validation';
  classNames: string[];
  values: Partial<Record<ModelRole, (number | null)[]>>;
}

export interface Histogram {
  /** e.g. "margin" or "confidence" */
  quantity: string;
  split: 'forget' | 'retain' | 'test' | 'validation';
  role: ModelRole;
  edges: number[]; // bins + 1
  counts: number[];
}

/** An example named in an attribution list; `thumbnail` is a PNG data URI for image data. */
export interface AttributedExample {
  id: string;
  label: number;
  thumbnail?: string;
}

export interface AttributionEntry {
  /** The evaluation example explained. */
  target: AttributedExample & { split: string };
  /** Top supporting training examples under the original model, highest TRAK score first. */
  before: (AttributedExample & { score: number })[];
  /** The same under the unlearned model. */
  after: (AttributedExample & { score: number })[];
}

export interface FileHash {
  role: string; // "model.in", "model.out", "forget", "data", "reference"
  path: string; // relative to the run folder's workspace when possible
  sha256: string;
  bytes: number;
}

export interface Provenance {
  lethe: string;
  node: string;
  onnxruntime: string;
  platform: string;
  createdAt: string;
  inputs: FileHash[];
  outputs: FileHash[];
  method: string;
  params: Record<string, unknown>;
  seed: number;
  timings: Record<string, number>;
}

export interface Report {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  kind: 'unlearn' | 'audit';
  name: string;
  createdAt: string;
  job: JobSpec;
  method?: { name: string; title: string; citation: string; params: Record<string, unknown> };
  seed: number;
  models: Partial<Record<ModelRole, { path: string; sha256: string; format: 'onnx' | 'tfjs' }>>;
  dataset: {
    path: string;
    classNames: string[];
    sizes: { train: number; test: number; forget: number; retain: number; validation: number };
  };
  metrics: MetricEntry[];
  perClass: PerClassAccuracy[];
  histograms: Histogram[];
  verdict?: Verdict;
  attribution?: AttributionEntry[];
  timings: { unlearnSeconds?: number; referenceSeconds?: number; speedup?: number; totalSeconds: number };
  log: string[];
  provenance: Provenance;
  /** Set by `lethe verify` and the extension when the hashes were rechecked. */
  verified?: { ok: boolean; checkedAt: string; mismatches: string[] };
}
