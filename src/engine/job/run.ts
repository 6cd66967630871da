/**
 * `runJob`: the one entry point the CLI, the worker and the tests share. Loads the model, data and forget set,
 * trains or loads the reference, runs the method, evaluates all three models, and writes the run folder
 * atomically (staged, then renamed): checkpoint(s), report.json, report.html, provenance.json.
 */
import type { KeyObject } from 'node:crypto';
import { basename, join } from 'node:path';
import { validateModel } from '../autodiff/validate';
import type { JobSpecInput } from '../contracts/jobSpec';
import type { LogLevel } from '../contracts/log';
import { loadDataset } from '../data/load';
import { getMethod } from '../methods/registry';
import { assertNeeds } from '../methods/needs';
import type { MethodContext } from '../methods/types';
import { checkStagingParent, sweepStaging } from '../util/atomic';
import { LetheError } from '../util/errors';
import { Rng } from '../util/rng';
import { withCalibration } from './calibration';
import { loadCheckpoint } from './checkpoint';
import { evaluateModels } from './evaluateModels';
import { forgetRetain, holdOutValidation } from './exampleSets';
import { checkpointFiles, checkpointsFiles, datasetInputFiles, InputFingerprints } from './inputFingerprints';
import { jobPaths } from './jobPaths';
import { parseJobSpec } from './load';
import { costLine, methodParams } from './methodBudget';
import { sharedContext } from './methodContext';
import { resolveRecipe } from './recipe';
import { referenceModels } from './reference';
import type { Progress, Say } from './reporting';
import { checkMemory, datasetFiles, estimateJobMemory, memoryLimitMB } from './resources';
import { runMethod, type MethodOutcome } from './runMethod';
import { newRunName, writeRun, type RunJobResult } from './writeRun';

export type { RunJobResult } from './writeRun';

export interface RunJobOptions {
  /** Folder that relative paths in the job resolve against (the job file's folder). */
  baseDir: string;
  /** When set, every path the job names must resolve inside this folder (the workspace). */
  workspaceRoot?: string;
  /** The job file itself, hashed into the provenance when given. */
  jobFile?: string;
  progress?(fraction: number, message: string): void;
  log?(level: LogLevel, message: string): void;
  signal?: AbortSignal;
  /** Refuse jobs whose estimated memory exceeds this (MB); default LETHE_MAX_MEMORY_MB, else 80% of RAM. */
  maxMemoryMB?: number;
  /** An Ed25519 private key: provenance.json is signed into provenance.sig. */
  signKey?: KeyObject;
}

export async function runJob(input: JobSpecInput, opts: RunJobOptions): Promise<RunJobResult> {
  const started = performance.now();
  const jobFile = opts.jobFile ?? join(opts.baseDir, '(job)');
  const log: string[] = [];
  const say: Say = (level, message) => {
    log.push(`[${level}] ${message}`);
    opts.log?.(level, message);
  };
  const progress: Progress = (f, m) => opts.progress?.(Math.min(1, Math.max(0, f)), m);
  const checkCancel = () => {
    if (opts.signal?.aborted) throw new LetheError('the job was cancelled');
  };
  const path = jobPaths(opts.baseDir, opts.workspaceRoot);
  // Every input is hashed as it is read, and must be unchanged when the run is committed.
  const inputs = new InputFingerprints();
  if (opts.jobFile) await inputs.record('job', [opts.jobFile]);
  const calibrationFiles = typeof input?.calibration === 'string' && input.kind !== 'audit' ? [path(input.calibration, 'calibration')] : [];
  const spec = parseJobSpec(await inputs.read('calibration', calibrationFiles, () => withCalibration(input, path, say)), jobFile);

  // Where outputs go is checked first (not after hours of training); runs killed there earlier left staging folders.
  const outRoot = path(spec.output, 'output');
  await checkStagingParent(outRoot);
  await sweepStaging(outRoot);
  const runName = newRunName(spec);

  // Inputs.
  progress(0.01, 'Loading model');
  const modelPath = path(spec.model, 'model');
  const { model, format } = await inputs.read('model.in', [modelPath], () => loadCheckpoint(modelPath), (c) => checkpointFiles(modelPath, c.model));
  // An op Lethe cannot train is refused now, naming the node, not after the data and the reference are done.
  if (spec.kind === 'unlearn') validateModel(model);
  const { recipe, line: recipeLine, level: recipeLevel } = resolveRecipe(spec.training, model.metadata, modelPath, jobFile);
  say(recipeLevel, recipeLine);
  const dataPath = path(spec.data, 'data');
  // A descriptor inside the workspace may still name files outside it.
  if (opts.workspaceRoot) for (const f of await datasetFiles(dataPath)) path(f, 'data file');
  checkMemory(await estimateJobMemory(model, spec, recipe, dataPath), memoryLimitMB(opts.maxMemoryMB));
  progress(0.03, 'Loading data');
  const data = await inputs.read('data', await datasetFiles(dataPath), () => loadDataset(dataPath, { inputShape: model.graph.inputs[0]?.shape }), datasetInputFiles);

  // Every random stream forks from the seed in a fixed order (validation, reference, method): it decides the bytes written.
  const rng = new Rng(spec.seed);
  const split = await inputs.read('forget', spec.forget ? [path(spec.forget, 'forget set')] : [], () => forgetRetain(spec, data, path));
  const { validation, test } = holdOutValidation(data.test, spec.evaluation.validationFraction, rng.fork());
  say('info', `${basename(modelPath)}: ${data.train.n} train / ${data.test.n} test examples; forget ${split.forget.length}, retain ${split.retain.length}, validation ${validation.length}`);
  checkCancel();

  const method = spec.kind === 'unlearn' ? getMethod(spec.method) : undefined;
  const params = method ? methodParams(method, spec, recipe, say) : {};
  const shared = sharedContext(spec, recipe, model, data, split, validation, params, opts.signal);
  // Said before anything trains: a method that costs more than a retrain is announced, not discovered.
  const cost = method && costLine(method, params, { forget: split.forget.length, retain: split.retain.length, train: data.train.n, test: test.length + validation.length, classes: data.classNames.length, recipe });
  if (cost) say(cost.level, cost.message);

  // Reference (retrain oracle), needed by the report and by methods that match oracles.
  const referenceFiles = spec.reference.checkpoints.map((c) => path(c, 'reference checkpoint'));
  const reference = await inputs.read('reference.in', referenceFiles, () => referenceModels(spec, shared, rng.fork(), path, progress, say), (r) => checkpointsFiles(r.loadedFrom, r.models));
  checkCancel();

  // The method.
  let outcome: MethodOutcome | undefined;
  if (method) {
    const ctx: MethodContext = {
      ...shared,
      oracles: reference.models,
      rng: rng.fork(),
      progress: (f, m) => progress(0.45 + 0.35 * f, `${method.title}: ${m}`),
      log: (m) => say('info', m),
    };
    assertNeeds(method, ctx, opts.jobFile);
    progress(0.45, `Running ${method.title}`);
    outcome = await runMethod(method, ctx, test, say);
  }
  checkCancel();

  // Evaluation.
  progress(0.82, 'Evaluating');
  const evaluated = { spec, modelPath, data, context: shared, test, method, outcome, reference };
  const results = await evaluateModels({ ...evaluated, klomCache: join(outRoot, '.lethe-cache', 'klom') }, progress, say, checkCancel);

  // Outputs, staged then renamed into place.
  progress(0.92, 'Writing outputs');
  const result = await writeRun(outRoot, { ...evaluated, ...results, jobFile: opts.jobFile, runName, inputs, signKey: opts.signKey, path, started, log, format, dataPath }, say, checkCancel);
  progress(1, 'Done');
  return result;
}
