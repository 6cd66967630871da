/**
 * Every unlearning method Lethe ships, for the job runner, the CLI (`lethe methods --json`), the UI and the docs.
 */
import { LetheError } from '../util/errors';
import { badTeacher } from './badTeacher';
import { del } from './del';
import { dmDirect } from './dmDirect';
import { dmm } from './dmm';
import { finetune } from './finetune';
import { fisher } from './fisher';
import { gradientAscent } from './gradientAscent';
import { l1Sparse } from './l1Sparse';
import { lotus } from './lotus';
import { mnemonic } from './mnemonic';
import { negGradPlus } from './negGradPlus';
import { oracleMatching } from './oracleMatching';
import { randomLabel } from './randomLabel';
import { retrain } from './retrain';
import { salun } from './salun';
import { scrub } from './scrub';
import { ssd } from './ssd';
import { unsir } from './unsir';
import type { TrainingRecipe } from '../contracts/recipe';
import { isPredictionOnly, type ModelMethod, type Need, type ParamSpec, type ParamValue, type UnlearningMethod } from './types';

export const METHODS: UnlearningMethod[] = [
  // The source papers.
  lotus,
  mnemonic,
  del,
  // Datamodel Matching family (docs/methods.md §2.2): DMM, Oracle Matching (needs oracles), DM-Direct (prediction only).
  dmm,
  oracleMatching,
  dmDirect,
  // Baselines (docs/methods.md §2.6).
  retrain,
  finetune,
  gradientAscent,
  negGradPlus,
  randomLabel,
  badTeacher,
  scrub,
  ssd,
  unsir,
  salun,
  fisher,
  l1Sparse,
];

export function getMethod(name: string): UnlearningMethod {
  const m = METHODS.find((x) => x.name === name);
  if (!m) {
    throw new LetheError(`unknown method "${name}"; available methods: ${METHODS.map((x) => x.name).join(', ')}`, undefined, 'method');
  }
  return m;
}

/** `m` as a method that produces a model; a LetheError naming it when it only predicts outputs (DM-Direct). */
export function requireModelMethod(m: UnlearningMethod): ModelMethod {
  if (isPredictionOnly(m)) {
    throw new LetheError(`"${m.name}" predicts outputs on evaluation points; it produces no model checkpoint to save or evaluate`, undefined, `method "${m.name}"`);
  }
  return m;
}

/** A method that produces a model, by name (the reference training, tests and the bench run them directly). */
export function getModelMethod(name: string): ModelMethod {
  return requireModelMethod(getMethod(name));
}

/**
 * The method's parameters with defaults filled in (with a recipe, the keys `raw` leaves unset that the method
 * derives from it first); wrong types, out-of-range values and unknown keys are LetheErrors naming the key.
 */
export function resolveParams(method: UnlearningMethod, raw: Record<string, unknown>, recipe?: TrainingRecipe): Record<string, ParamValue> {
  return method.resolveParams(raw ?? {}, recipe);
}

export interface MethodDescription {
  name: string;
  title: string;
  citation: string;
  summary: string;
  needs: Need[];
  /** False for prediction-only entries (DM-Direct), which yield no checkpoint. */
  producesModel: boolean;
  params: ({ name: string } & ParamSpec)[];
}

/** A JSON-able description of every method (`lethe methods --json`). */
export function describeMethods(): MethodDescription[] {
  return METHODS.map((m) => ({
    name: m.name,
    title: m.title,
    citation: m.citation,
    summary: m.summary,
    needs: [...m.needs],
    producesModel: m.producesModel,
    params: Object.entries(m.params).map(([name, spec]) => ({ name, ...structuredClone(spec) })),
  }));
}
