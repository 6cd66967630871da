/**
 * One trial: a method with one setting, run on the proxy forget set, judged by the verdict engine against the
 * reference retrained without the proxy (docs/verdict.md): the forget-accuracy gap in accuracy points and in noise
 * bands, the utility verdict, the test accuracy, and the wall time against the reference's retrain.
 */
import { createHash } from 'node:crypto';
import type { Trial } from '../contracts/calibration';
import type { VerdictEvidence } from '../contracts/report';
import { labelsOf, logitsBySplit, type EvalSets } from '../job/evaluate';
import type { SharedContext } from '../job/methodContext';
import { runMethod } from '../job/runMethod';
import { getModelMethod } from '../methods/registry';
import { assertNeeds } from '../methods/needs';
import { judgeRun } from '../metrics/verdict';
import type { LogitsBySplit, Split } from '../metrics/types';
import { isLetheError } from '../util/errors';
import { Rng } from '../util/rng';
import type { PlannedTrial } from './grids';

/** What every trial shares: the proxy's method context, its evaluation sets and the two fixed models' outputs. */
export interface ProxySetup {
  shared: SharedContext;
  sets: EvalSets;
  /** The test split's evaluation indices (the rest of it is the validation set). */
  test: Int32Array;
  labels: Record<Split, Int32Array>;
  original: LogitsBySplit;
  reference: LogitsBySplit;
  referenceSeconds: number;
  seed: number;
}

/** A trial's random stream: from the seed and the trial's id, so a shard draws what one unsharded run would. */
export function trialSeed(seed: number, id: string): number {
  return (createHash('sha256').update(`${seed}:${id}`).digest().readUInt32LE(0) ^ seed) >>> 0;
}

export async function runTrial(planned: PlannedTrial, setup: ProxySetup, progress: (fraction: number, message: string) => void, debug: (m: string) => void): Promise<Trial> {
  const method = getModelMethod(planned.method);
  const ctx = { ...setup.shared, params: planned.params, rng: new Rng(trialSeed(setup.seed, planned.id)), progress, log: debug };
  const started = performance.now();
  const timed = (seconds: number): Pick<Trial, 'seconds' | 'timeRatio'> => ({ seconds, timeRatio: seconds / Math.max(setup.referenceSeconds, 1e-9) });
  const base = { id: planned.id, method: planned.method, settings: planned.settings, params: planned.params };
  let outcome;
  try {
    assertNeeds(method, ctx);
    outcome = await runMethod(method, ctx, setup.test, (_, m) => debug(m));
  } catch (e) {
    // A setting that breaks the method (diverged, out of range for this model) is a result; a cancel is not.
    if (setup.shared.signal?.aborted || !(isLetheError(e) || e instanceof Error)) throw e;
    return { ...base, error: (e as Error).message.split('\n')[0], exampleGradients: 0, ...timed((performance.now() - started) / 1000) };
  }
  const unlearned = await logitsBySplit(outcome.unlearned!, setup.sets, setup.shared.train.classNames.length, setup.shared.threads);
  const judged = judgeRun({
    k: setup.shared.train.classNames.length,
    labels: setup.labels,
    models: { original: setup.original, unlearned },
    references: [setup.reference],
    options: { seed: setup.seed },
  })?.verdict;
  const forget = judged?.forgetting.metrics.find((e) => e.metric === 'acc.forget');
  const test = judged?.utility?.metrics.find((e) => e.metric === 'acc.test' || e.metric === 'mnemonic.remaining');
  return {
    ...base,
    ...(judged ? { forgetting: judged.forgetting.verdict } : {}),
    ...(judged?.utility ? { utility: judged.utility.verdict } : {}),
    ...(forget ? gapOf(forget) : {}),
    ...(test ? { testAccuracy: test.value } : {}),
    exampleGradients: outcome.exampleGradients,
    ...timed(outcome.seconds),
  };
}

function gapOf(e: VerdictEvidence): Pick<Trial, 'forgetAccuracy' | 'gap' | 'gapBands'> {
  return { forgetAccuracy: e.value, gap: e.value - e.target, gapBands: e.distance };
}

/** The proxy's evaluation sets and their labels: forget = the proxy, retain = the rest of the training split. */
export function evalSets(shared: SharedContext, test: Int32Array): { sets: EvalSets; labels: Record<Split, Int32Array> } {
  const sets: EvalSets = {
    forget: { ds: shared.train, idx: shared.forget },
    retain: { ds: shared.train, idx: shared.retain },
    test: { ds: shared.test, idx: test },
    validation: { ds: shared.test, idx: shared.validation },
  };
  const labels = Object.fromEntries((Object.keys(sets) as Split[]).map((s) => [s, labelsOf(sets[s].ds, sets[s].idx)])) as Record<Split, Int32Array>;
  return { sets, labels };
}
