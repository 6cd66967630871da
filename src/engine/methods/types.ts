/** The contract every unlearning method file implements, and what the job runner hands it. */
import type { Dataset } from '../data/types';
import type { Model } from '../graph/ir';
import type { TrainingRecipe } from '../contracts/recipe';
import type { Rng } from '../util/rng';

export type ParamSpec =
  | { type: 'number'; default: number; min?: number; max?: number; description: string }
  | { type: 'integer'; default: number; min?: number; max?: number; description: string }
  | { type: 'boolean'; default: boolean; description: string }
  | { type: 'enum'; default: string; values: string[]; description: string };

export type ParamSchema = Record<string, ParamSpec>;

/** What a method needs besides the original model; the runner checks these before starting. */
export type Need = 'forget' | 'retain' | 'validation' | 'oracle' | 'attribution' | 'mnemonic';

export interface MethodContext {
  /** The original model θ₀ (never modified: methods build new models). */
  model: Model;
  /** The training split; forget/retain index into it. */
  train: Dataset;
  test: Dataset;
  forget: Int32Array;
  retain: Int32Array;
  /** Unseen validation examples: indices into `test` (a seeded share of the test split, never trained on; test metrics use the rest). LoTUS a_V, MIA non-members. */
  validation: Int32Array;
  /** Parameters after defaults and validation against the schema. */
  params: Record<string, number | boolean | string>;
  /** How the original was trained (retrain and the reference use it). */
  recipe: TrainingRecipe;
  /** Oracle checkpoints (retrained without F), when the method needs them. */
  oracles?: Model[];
  rng: Rng;
  threads: number;
  signal?: AbortSignal;
  progress(fraction: number, message: string): void;
  log(message: string): void;
}

export interface MethodResult {
  model: Model;
  /** Example-gradient evaluations spent (cost accounting, methods.md §3.7). */
  exampleGradients: number;
  /** Method-specific facts worth showing in the report (e.g. LoTUS stopping epoch, DEL selected channels). */
  notes?: string[];
}

export interface UnlearningMethod {
  name: string;
  title: string;
  citation: string;
  /** One paragraph: what it does, in the paper's terms. */
  summary: string;
  needs: Need[];
  params: ParamSchema;
  run(ctx: MethodContext): Promise<MethodResult>;
}
