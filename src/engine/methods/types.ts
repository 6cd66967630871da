/** The contract every unlearning method file implements, and what the job runner hands it. */
import type { Dataset } from '../data/types';
import type { Model } from '../graph/ir';
import type { TrainingRecipe } from '../contracts/recipe';
import type { Rng } from '../util/rng';

/**
 * One parameter as `lethe methods --json` describes it (derived from the method's zod schema). `default` is the
 * paper's reference default; `derivation`, where there is one, says how a job derives the value from the
 * original's recipe when the job leaves it unset (docs/methods.md §2.7).
 */
export type ParamSpec = (
  | { type: 'number'; default: number; min?: number; max?: number; description: string }
  | { type: 'integer'; default: number; min?: number; max?: number; description: string }
  | { type: 'boolean'; default: boolean; description: string }
  | { type: 'enum'; default: string; values: string[]; description: string }
) & { derivation?: string };

/** A resolved parameter value. */
export type ParamValue = number | boolean | string;

/** A value derived from the original's recipe, and the formula that gave it. */
export interface DerivedParam {
  value: ParamValue;
  formula: string;
}

/** What a method's cost estimate depends on: the example counts and the original's recipe. */
export interface CostInput {
  forget: number;
  retain: number;
  /** The whole training split (F ∪ R). */
  train: number;
  /** Evaluation points on the test side (prediction-only methods predict there). */
  test: number;
  classes: number;
  recipe: TrainingRecipe;
}

export type ParamSpecs = Record<string, ParamSpec>;

/** What a method needs besides the original model; `assertNeeds` (needs.ts) checks these before it starts. */
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
  /** The job's raw parameters; a method's `run` resolves them against its schema. */
  params: Record<string, unknown>;
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
  /** Example-gradient evaluations spent (cost accounting, docs/methods.md §3.7). */
  exampleGradients: number;
  /** Method-specific facts worth showing in the report (e.g. LoTUS stopping epoch, DEL selected channels). */
  notes?: string[];
}

/** Where a prediction-only method predicts: indices into one split. */
export interface PredictionTargets {
  split: 'train' | 'test';
  indices: Int32Array;
}

/** Logits predicted for the retrained model on the targets (T × K), and what they cost. */
export interface Prediction {
  /** θ₀'s logits on the targets (T × K). */
  original: Float32Array;
  predicted: Float32Array;
  exampleGradients: number;
}

interface MethodInfo {
  name: string;
  title: string;
  citation: string;
  /** One paragraph: what it does, in the paper's terms. */
  summary: string;
  needs: readonly Need[];
  /** The parameters, described from the method's schema (types, defaults, ranges). */
  params: ParamSpecs;
  /**
   * Parameters with defaults filled in; with a recipe, the keys `raw` leaves unset that the method derives from
   * the original's recipe take the derived value first. Wrong types, out-of-range values and unknown keys are
   * LetheErrors naming the method and key.
   */
  resolveParams(raw: Record<string, unknown>, recipe?: TrainingRecipe): Record<string, ParamValue>;
  /** The values `resolveParams` derives from `recipe` for the keys `raw` leaves unset, each with its rule (docs/methods.md §2.7). */
  derivedParams(raw: Record<string, unknown>, recipe: TrainingRecipe): Record<string, DerivedParam>;
  /**
   * Example-gradient evaluations the method will spend with these resolved parameters, estimated before it runs
   * (docs/methods.md §3.7); undefined for a method that declares no estimate.
   */
  estimateCost(params: Record<string, ParamValue>, input: CostInput): number | undefined;
}

/** A method that produces an unlearned model. */
export interface ModelMethod extends MethodInfo {
  producesModel: true;
  run(ctx: MethodContext): Promise<MethodResult>;
}

/** A method that predicts outputs instead of producing a model (DM-Direct): it has no checkpoint to save. */
export interface PredictionMethod<R extends Prediction = Prediction> extends MethodInfo {
  producesModel: false;
  predict(ctx: MethodContext, targets: PredictionTargets): Promise<R>;
}

export type UnlearningMethod = ModelMethod | PredictionMethod;

export function isPredictionOnly(m: UnlearningMethod): m is PredictionMethod {
  return !m.producesModel;
}
