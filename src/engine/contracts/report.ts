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
  attribution?: AttributionEntry[];
  timings: { unlearnSeconds?: number; referenceSeconds?: number; speedup?: number; totalSeconds: number };
  log: string[];
  provenance: Provenance;
  /** Set by `lethe verify` and the extension when the hashes were rechecked. */
  verified?: { ok: boolean; checkedAt: string; mismatches: string[] };
}
