/**
 * `calibrate`: once per model and dataset, find each method's settings that forget a proxy forget set like the
 * user's, judged against a reference retrained without the proxy, and write them to a calibration file that jobs
 * read (docs/calibration.md). The user's own forget set is never retrained: only its size and kind are used.
 */
import { basename, dirname, join } from 'node:path';
import { validateModel } from '../autodiff/validate';
import type { CalibrationFile, Trial } from '../contracts/calibration';
import type { LogLevel } from '../contracts/log';
import { readForgetSet, resolveForgetSet } from '../data/forgetSet';
import { loadDataset } from '../data/load';
import { complementOf } from '../data/splits';
import { datasetSha256 } from '../job/calibration';
import { loadCheckpoint } from '../job/checkpoint';
import { logitsBySplit } from '../job/evaluate';
import { holdOutValidation } from '../job/exampleSets';
import { parseJobSpec } from '../job/load';
import { sharedContext } from '../job/methodContext';
import { resolveRecipe } from '../job/recipe';
import { getMethod, METHODS } from '../methods/registry';
import { accuracy } from '../metrics/accuracy';
import { isPredictionOnly, type UnlearningMethod } from '../methods/types';
import { sha256File } from '../report/provenance';
import { LetheError } from '../util/errors';
import { Rng } from '../util/rng';
import { interleave, methodTrials, type PlannedTrial } from './grids';
import { writeCalibration } from './file';
import { drawProxy, forgetShape, proxySha256 } from './proxy';
import { proxyReference, referenceKey } from './proxyReference';
import { summarise } from './select';
import { evalSets, runTrial, type ProxySetup } from './trial';

export interface Budget {
  /** At most this many trials over all methods (cut before sharding). */
  trials?: number;
  /** Start no trial after this many seconds of this process. */
  seconds?: number;
}

export interface Shard {
  index: number;
  count: number;
}

export interface CalibrateOptions {
  model: string;
  data: string;
  /** The calibration file to write; a shard writes `<out>.part-<i>-of-<N>`. */
  out: string;
  methods?: string[];
  /** A forget-set file the proxy imitates; without it, 10% of the training split drawn at random. */
  forgetLike?: string;
  budget?: Budget;
  seed?: number;
  shard?: Shard;
  threads?: number;
  progress?(fraction: number, message: string): void;
  log?(level: LogLevel, message: string): void;
  signal?: AbortSignal;
}

/** Share of the training split in the proxy when no `--forget-like` file says how large a request is. */
export const DEFAULT_PROXY_SHARE = 0.1;
const VALIDATION_FRACTION = 0.1;

/** Methods calibrated by default: every one that produces a model from forget, retain and validation data alone, but retraining. */
export function defaultMethods(): string[] {
  return METHODS.filter((m) => m.producesModel && m.name !== 'retrain' && m.needs.every((n) => n === 'forget' || n === 'retain' || n === 'validation')).map((m) => m.name);
}

/** The methods asked for, refusing those calibration cannot try: prediction-only, retraining, or needing the request's own retrain. */
export function checkMethods(names: string[]): UnlearningMethod[] {
  return names.map((name) => {
    const m = getMethod(name);
    const why = isPredictionOnly(m) ? 'it produces no model' : m.name === 'retrain' ? 'it is the reference itself' : m.needs.includes('oracle') ? 'it needs a retrain without the forget set, which a real request never has' : undefined;
    if (why) throw new LetheError(`method "${name}" cannot be calibrated: ${why}`, undefined, '--methods');
    return m;
  });
}

/** The partial file a shard writes. */
export const shardFile = (out: string, s: Shard) => `${out}.part-${s.index}-of-${s.count}`;

export async function calibrate(o: CalibrateOptions): Promise<{ file: CalibrationFile; path: string }> {
  const started = performance.now();
  const seed = o.seed ?? 0;
  const say = (level: LogLevel, m: string) => o.log?.(level, m);
  const progress = (f: number, m: string) => o.progress?.(Math.min(1, Math.max(0, f)), m);
  const checkCancel = () => {
    if (o.signal?.aborted) throw new LetheError('calibration was cancelled');
  };
  const methods = checkMethods(o.methods ?? defaultMethods());

  progress(0, 'Loading model and data');
  const { model } = await loadCheckpoint(o.model);
  validateModel(model);
  const resolved = resolveRecipe(undefined, model.metadata, o.model, o.model);
  say(resolved.level, resolved.line);
  const recipe = resolved.recipe;
  const data = await loadDataset(o.data, { inputShape: model.graph.inputs[0]?.shape });
  const [modelSha, dataSha] = [await sha256File(o.model), await datasetSha256(o.data)];
  const k = data.classNames.length;

  // Streams fork in a fixed order (proxy, validation, reference); each trial seeds from its id, so shards agree.
  const rng = new Rng(seed);
  const like = o.forgetLike ? resolveForgetSet(await readForgetSet(o.forgetLike), data.train, o.forgetLike).forget : new Int32Array(0);
  const shape = o.forgetLike ? forgetShape(like, data.train.y, k) : { kind: 'random' as const, size: Math.max(1, Math.round(DEFAULT_PROXY_SHARE * data.train.n)), classes: [], perClass: [] };
  const proxy = drawProxy(shape, like, data.train.y, rng.fork(), o.forgetLike ? basename(o.forgetLike) : 'the default proxy');
  const { validation, test } = holdOutValidation(data.test, VALIDATION_FRACTION, rng.fork());
  say('info', `proxy: ${proxy.length} ${shape.kind === 'class' ? `examples of ${shape.classes.length} other whole class(es)` : `${shape.kind} examples`}, like ${o.forgetLike ? `${basename(o.forgetLike)} (${shape.kind}, ${shape.size})` : 'no forget set given (10% at random)'}`);
  checkCancel();

  const spec = parseJobSpec({ model: o.model, data: o.data, forget: '(proxy)', seed, threads: o.threads ?? 0 }, '(calibration)');
  const shared = sharedContext(spec, recipe, model, data, { forget: proxy, retain: complementOf(proxy, data.train.n) }, validation, {}, o.signal);
  const proxyHash = proxySha256(proxy);
  const key = referenceKey({ model: modelSha, data: dataSha, proxy: proxyHash, recipe, seed });
  progress(0.02, 'Proxy reference');
  const reference = await proxyReference(spec, shared, rng.fork(), join(dirname(o.out), '.lethe-cache', 'calibrate'), key, (f, m) => progress(0.02 + 0.28 * f, m), say);
  checkCancel();

  const { sets, labels } = evalSets(shared, test);
  const setup: ProxySetup = {
    shared, sets, test, labels, seed, referenceSeconds: reference.seconds,
    original: await logitsBySplit(model, sets, k, shared.threads),
    reference: await logitsBySplit(reference.model, sets, k, shared.threads),
  };
  const planned = plan(methods.map((m) => methodTrials(m, recipe)), o.budget?.trials);
  const mine = o.shard ? planned.filter((_, i) => i % o.shard!.count === o.shard!.index) : planned;
  const trials: Trial[] = [];
  const skipped = planned.filter((t) => !mine.includes(t)).map((t) => t.id);
  for (const [i, t] of mine.entries()) {
    checkCancel();
    if (o.budget?.seconds !== undefined && (performance.now() - started) / 1000 > o.budget.seconds) {
      skipped.push(...mine.slice(i).map((s) => s.id));
      say('warn', `the seconds budget (${o.budget.seconds} s) ran out: ${mine.length - i} trial(s) not run`);
      break;
    }
    const at = 0.3 + (0.7 * i) / mine.length;
    const label = `${t.id} ${describeSettings(t.settings)}`;
    progress(at, `Trial ${i + 1}/${mine.length}: ${label}`);
    const trial = await runTrial(t, setup, (f, m) => progress(at + (0.7 * f) / mine.length, `Trial ${i + 1}/${mine.length}: ${label}: ${m}`), (m) => say('debug', m));
    say('info', `${label}: ${trialLine(trial)}`);
    trials.push(trial);
  }
  checkCancel();

  const file: CalibrationFile = {
    version: 1,
    kind: 'lethe-calibration',
    model: { file: basename(o.model), sha256: modelSha },
    data: { path: basename(o.data), sha256: dataSha },
    proxy: {
      kind: shape.kind, forgetSize: shape.size, size: proxy.length, sha256: proxyHash,
      ...(shape.kind === 'class' ? { classes: shape.classes.length } : {}),
      ...(o.forgetLike ? { forgetLike: basename(o.forgetLike) } : {}),
    },
    seed,
    recipe,
    reference: { seconds: reference.seconds, forgetAccuracy: accuracy(setup.reference.forget!, labels.forget, k), testAccuracy: accuracy(setup.reference.test!, labels.test, k) },
    methods: methods.map((m) => m.name),
    planned: planned.map((t) => t.id),
    skipped: planned.map((t) => t.id).filter((id) => skipped.includes(id)),
    ...(o.shard ? { shard: o.shard } : {}),
    trials,
    ...summarise(trials, methods.map((m) => m.name)),
    seconds: (performance.now() - started) / 1000,
  };
  const path = o.shard ? shardFile(o.out, o.shard) : o.out;
  await writeCalibration(path, file);
  progress(1, 'Done');
  return { file, path };
}

/** Every method's trials interleaved, cut to the trial budget. */
function plan(perMethod: PlannedTrial[][], maxTrials: number | undefined): PlannedTrial[] {
  const all = interleave(perMethod);
  return maxTrials === undefined ? all : all.slice(0, maxTrials);
}

export const describeSettings = (s: Record<string, number>) => Object.entries(s).map(([k, v]) => `${k}=${Number(v.toPrecision(4))}`).join(' ');

/** "forgot / kept, forget acc 0.880 (gap +0.003, 0.4 bands), test 0.871, 0.12× retrain" or the error. */
export function trialLine(t: Trial): string {
  if (t.error) return `failed: ${t.error}`;
  const sign = (x: number) => (x >= 0 ? '+' : '') + x.toFixed(3);
  return `${t.forgetting} / utility ${t.utility ?? '—'}, forget acc ${t.forgetAccuracy?.toFixed(3) ?? '—'} (gap ${t.gap === undefined ? '—' : sign(t.gap)}, ${t.gapBands?.toFixed(1) ?? '—'} bands), test ${t.testAccuracy?.toFixed(3) ?? '—'}, ${t.seconds.toFixed(1)} s = ${t.timeRatio.toFixed(2)}× retrain`;
}

