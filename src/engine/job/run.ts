/**
 * `runJob`: the one entry point the CLI, the worker and the tests share. Loads the model, data and
 * forget set, trains or loads the reference, runs the method, evaluates all three models, and writes
 * the run folder atomically (staged, then renamed): checkpoint(s), report.json, report.html, provenance.json.
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { validateModel } from '../autodiff/validate';
import { resolveForgetSet, readForgetSet } from '../data/forgetSet';
import { loadDataset } from '../data/load';
import type { Dataset, DatasetSplits } from '../data/types';
import type { Model } from '../graph/ir';
import { getMethod, resolveParams } from '../methods/registry';
import type { PredictionOnlyMethod } from '../methods/dmDirect';
import type { MethodContext, UnlearningMethod } from '../methods/types';
import { computeMetrics, type KlomInput } from '../metrics/compute';
import type { LogitsBySplit } from '../metrics/types';
import { hashPath, sha256File } from '../report/provenance';
import { REPORT_SCHEMA_VERSION, type AttributionEntry, type FileHash, type ModelRole, type Report } from '../contracts/report';
import { checkStagingParent, stageDirectory, sweepStaging } from '../util/atomic';
import { LetheError } from '../util/errors';
import { Rng } from '../util/rng';
import { loadCheckpoint, saveCheckpoint } from './checkpoint';
import { labelsOf, logitsBySplit, type EvalSets } from './evaluate';
import { attributionBeforeAfter } from './attributionReport';
import { klomEnsembles } from './klom';
import { JobSpec, type JobSpecInput } from '../contracts/jobSpec';
import type { LogLevel } from '../contracts/log';
import { parseJobSpec } from './load';
import { checkMemory, datasetFiles, estimateJobMemory, memoryLimitMB } from './resources';

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
}

export interface RunJobResult {
  report: Report;
  runDir: string;
}

export const LETHE_VERSION: string = readVersion();

function readVersion(): string {
  for (const p of [join(__dirname, '..', 'package.json'), join(__dirname, '..', '..', '..', 'package.json')]) {
    try {
      return (JSON.parse(readFileSync(p, 'utf8')) as { version: string }).version;
    } catch {
      /* try the next layout (bundled dist/ or source tree) */
    }
  }
  return '0.0.0';
}

export async function runJob(input: JobSpecInput, opts: RunJobOptions): Promise<RunJobResult> {
  const started = performance.now();
  const spec = parseJobSpec(input, opts.jobFile ?? join(opts.baseDir, '(job)'));
  const log: string[] = [];
  const say = (level: LogLevel, message: string) => {
    log.push(`[${level}] ${message}`);
    opts.log?.(level, message);
  };
  const progress = (f: number, m: string) => opts.progress?.(Math.min(1, Math.max(0, f)), m);
  const checkCancel = () => {
    if (opts.signal?.aborted) throw new LetheError('the job was cancelled');
  };
  const path = (p: string, what: string) => resolveInside(opts.baseDir, p, what, opts.workspaceRoot);

  // Where outputs go is checked first (not after hours of training); runs killed there earlier left staging folders.
  const outRoot = path(spec.output, 'output');
  await checkStagingParent(outRoot);
  await sweepStaging(outRoot);

  // Inputs.
  progress(0.01, 'Loading model');
  const modelPath = path(spec.model, 'model');
  const { model, format } = await loadCheckpoint(modelPath);
  // An op Lethe cannot train is refused now, naming the node, not after the data and the reference are done.
  if (spec.kind === 'unlearn') validateModel(model);
  const inputShape = model.graph.inputs[0]?.shape;
  const dataPath = path(spec.data, 'data');
  // A descriptor inside the workspace may still name files outside it.
  if (opts.workspaceRoot) for (const f of await datasetFiles(dataPath)) path(f, 'data file');
  checkMemory(await estimateJobMemory(model, spec, dataPath), memoryLimitMB(opts.maxMemoryMB));
  progress(0.03, 'Loading data');
  const data = await loadDataset(dataPath, { inputShape });
  const classes = data.classNames.length;

  const rng = new Rng(spec.seed);
  const split = await forgetRetain(spec, data, path);
  const { validation, test } = holdOutValidation(data.test, spec.evaluation.validationFraction, rng.fork());
  say('info', `${basename(modelPath)}: ${data.train.n} train / ${data.test.n} test examples; forget ${split.forget.length}, retain ${split.retain.length}, validation ${validation.length}`);
  checkCancel();

  const method = spec.kind === 'unlearn' ? getMethod(spec.method) : undefined;
  const params = method ? resolveParams(method, spec.params) : {};
  const threads = spec.threads;

  // Reference (retrain oracle), needed by the report and by methods that match oracles.
  const reference = await referenceModels(spec, data, split, rng.fork(), threads, path, opts, progress, say);
  checkCancel();

  // The method.
  let unlearned: Model | undefined;
  let predicted: (LogitsBySplit & { exampleGradients: number }) | undefined;
  let unlearnSeconds: number | undefined;
  let exampleGradients = 0;
  const notes: string[] = [];
  if (method) {
    if (method.needs.includes('oracle') && reference.models.length === 0) {
      throw new LetheError(`method "${method.name}" needs oracle checkpoints: set reference.retrain: true or list reference.checkpoints`, opts.jobFile);
    }
    const ctx: MethodContext = {
      model,
      train: data.train,
      test: data.test,
      forget: split.forget,
      retain: split.retain,
      validation,
      params,
      recipe: spec.training,
      oracles: reference.models,
      rng: rng.fork(),
      threads,
      signal: opts.signal,
      progress: (f, m) => progress(0.45 + 0.35 * f, `${method.title}: ${m}`),
      log: (m) => say('info', m),
    };
    progress(0.45, `Running ${method.title}`);
    const t0 = performance.now();
    if (isPredictionOnly(method)) {
      const p = await predictedLogits(method, ctx, test);
      predicted = p;
      exampleGradients = p.exampleGradients;
      notes.push(`${method.title} changes no weights: the "unlearned" column shows its predicted outputs; no checkpoint is written.`);
    } else {
      const result = await method.run(ctx);
      unlearned = result.model;
      exampleGradients = result.exampleGradients;
      notes.push(...(result.notes ?? []));
    }
    unlearnSeconds = (performance.now() - t0) / 1000;
    say('info', `${method.title} finished in ${unlearnSeconds.toFixed(1)} s (${exampleGradients} example gradients)`);
  }
  checkCancel();

  // Evaluation.
  progress(0.82, 'Evaluating');
  const sets: EvalSets = {
    forget: { ds: data.train, idx: split.forget },
    retain: { ds: data.train, idx: split.retain },
    test: { ds: data.test, idx: test },
    validation: { ds: data.test, idx: validation },
  };
  const logits: Partial<Record<ModelRole, LogitsBySplit>> = { original: await logitsBySplit(model, sets, classes, threads) };
  if (unlearned) logits.unlearned = await logitsBySplit(unlearned, sets, classes, threads);
  if (predicted) logits.unlearned = predicted;
  if (reference.models[0]) logits.reference = await logitsBySplit(reference.models[0], sets, classes, threads);
  checkCancel();
  let klom: KlomInput | undefined;
  if (method && spec.reference.klomModels > 0) {
    progress(0.84, `KLoM: ${spec.reference.klomModels} models per side`);
    klom = await klomEnsembles({
      spec,
      model,
      modelSha256: await sha256File(modelPath),
      data,
      forget: split.forget,
      retain: split.retain,
      method,
      context: { train: data.train, test: data.test, forget: split.forget, retain: split.retain, validation, params, recipe: spec.training, oracles: reference.models, threads, signal: opts.signal, progress: () => undefined, log: (m) => say('debug', m) },
      sets,
      cacheRoot: join(path(spec.output, 'output'), '.lethe-cache', 'klom'),
      progress: (f, m) => progress(0.84 + 0.07 * f, `KLoM: ${m}`),
    });
  }
  let attribution: AttributionEntry[] | undefined;
  if (unlearned && spec.evaluation.attribution) {
    attribution = await attributionBeforeAfter({
      original: model, unlearned, train: data.train, test: data.test, forget: split.forget, testIdx: test, seed: spec.seed, threads, signal: opts.signal,
      progress: (f, m) => progress(0.91 + 0.01 * f, m),
    });
  }
  checkCancel();
  const evaluation = computeMetrics({
    klom,
    logits,
    labels: {
      forget: labelsOf(data.train, split.forget),
      retain: labelsOf(data.train, split.retain),
      test: labelsOf(data.test, test),
      validation: labelsOf(data.test, validation),
    },
    classNames: data.classNames,
    options: { seed: spec.seed, include: { mia: spec.evaluation.mia, jsd: spec.evaluation.jsd, rfJsd: spec.evaluation.jsd } },
    timing: { unlearnSeconds, referenceSeconds: reference.seconds, unlearnExampleGradients: exampleGradients, referenceExampleGradients: reference.exampleGradients },
  });

  // Outputs, staged then renamed into place.
  progress(0.92, 'Writing outputs');
  const runName = uniqueRunName(outRoot, `${new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19)}-${spec.kind === 'unlearn' ? spec.method : 'audit'}`);
  const runDir = join(outRoot, runName);
  const stage = await stageDirectory(runDir);
  try {
    const createdAt = new Date().toISOString();
    const written: { role: ModelRole; file: string }[] = [];
    if (unlearned) {
      const out = await saveCheckpoint(annotate(unlearned, 'unlearned', modelPath, runDir, spec.method, createdAt), format, modelPath, stage.dir, 'unlearned');
      written.push({ role: 'unlearned', file: out });
    }
    if (reference.trained) {
      const out = await saveCheckpoint(annotate(reference.trained, 'reference', modelPath, runDir, 'retrain', createdAt), format, modelPath, stage.dir, 'retrain');
      written.push({ role: 'reference', file: out });
    }
    // Hashes are recorded relative to the FINAL run folder, so `lethe verify` works after the rename;
    // outputs sit inside it, so their path relative to the staging folder is the same.
    const inputs: FileHash[] = [
      ...(await hashPath('model.in', modelPath, runDir)),
      ...(await hashes('data', [...(data.path.endsWith('.json') || data.path.endsWith('.yaml') ? [data.path] : []), ...data.train.sources, ...data.test.sources], runDir)),
      ...(spec.forget ? await hashPath('forget', path(spec.forget, 'forget set'), runDir) : []),
      ...(opts.jobFile ? await hashPath('job', opts.jobFile, runDir) : []),
      ...(await hashes('reference.in', reference.loadedFrom, runDir)),
    ];
    const outputs: FileHash[] = [];
    for (const w of written) {
      outputs.push(...(await hashPath(w.role === 'unlearned' ? 'model.out' : 'reference.out', w.file, stage.dir)));
    }
    const totalSeconds = (performance.now() - started) / 1000;
    const report: Report = {
      schemaVersion: REPORT_SCHEMA_VERSION,
      kind: spec.kind,
      name: spec.name ?? runName,
      createdAt,
      job: spec,
      method: method ? { name: method.name, title: method.title, citation: method.citation, params } : undefined,
      seed: spec.seed,
      models: {
        original: { path: relative(runDir, modelPath), sha256: inputs[0].sha256, format },
        ...Object.fromEntries(
          written.map((w) => {
            const rel = relative(stage.dir, w.file);
            return [w.role, { path: rel, sha256: outputs.find((o) => o.path === rel)?.sha256 ?? '', format }];
          }),
        ),
      },
      dataset: {
        path: relative(runDir, dataPath),
        classNames: data.classNames,
        sizes: { train: data.train.n, test: test.length, forget: split.forget.length, retain: split.retain.length, validation: validation.length },
      },
      metrics: evaluation.metrics,
      perClass: evaluation.perClass,
      histograms: evaluation.histograms,
      attribution,
      timings: {
        unlearnSeconds,
        referenceSeconds: reference.seconds,
        speedup: unlearnSeconds && reference.seconds ? reference.seconds / unlearnSeconds : undefined,
        totalSeconds,
      },
      log: [...log, ...notes.map((n) => `[note] ${n}`)],
      provenance: {
        lethe: LETHE_VERSION,
        node: process.version,
        onnxruntime: onnxruntimeVersion(),
        platform: `${process.platform}-${process.arch}`,
        createdAt,
        inputs,
        outputs,
        method: method?.name ?? 'audit',
        params,
        seed: spec.seed,
        timings: { totalSeconds, ...(unlearnSeconds !== undefined ? { unlearnSeconds } : {}), ...(reference.seconds !== undefined ? { referenceSeconds: reference.seconds } : {}) },
      },
    };
    await writeFile(join(stage.dir, 'provenance.json'), JSON.stringify(report.provenance, null, 2));
    await writeFile(join(stage.dir, 'report.json'), JSON.stringify(report, null, 2));
    await writeReportHtml(report, stage.dir, say);
    checkCancel();
    await stage.commit();
    progress(1, 'Done');
    return { report, runDir };
  } catch (e) {
    await stage.abort();
    throw e;
  }
}

/** Two runs finishing in the same second get `NAME`, `NAME-2`, …: an existing run folder is never replaced. */
function uniqueRunName(outRoot: string, name: string): string {
  let candidate = name;
  for (let i = 2; existsSync(join(outRoot, candidate)); i++) candidate = `${name}-${i}`;
  return candidate;
}

function isPredictionOnly(m: UnlearningMethod): m is PredictionOnlyMethod {
  return (m as Partial<PredictionOnlyMethod>).producesModel === false && typeof (m as Partial<PredictionOnlyMethod>).predict === 'function';
}

/** A prediction-only method's outputs on every evaluation set: one call per split of the data. */
async function predictedLogits(method: PredictionOnlyMethod, ctx: MethodContext, test: Int32Array): Promise<LogitsBySplit & { exampleGradients: number }> {
  const classes = ctx.train.classNames.length;
  const onTrain = await method.predict(ctx, { split: 'train', indices: concatIndices(ctx.forget, ctx.retain) });
  const onTest = await method.predict(ctx, { split: 'test', indices: concatIndices(test, ctx.validation) });
  const cut = (a: Float32Array, from: number, count: number) => a.slice(from * classes, (from + count) * classes);
  return {
    forget: cut(onTrain.predicted, 0, ctx.forget.length),
    retain: cut(onTrain.predicted, ctx.forget.length, ctx.retain.length),
    test: cut(onTest.predicted, 0, test.length),
    validation: cut(onTest.predicted, test.length, ctx.validation.length),
    exampleGradients: onTrain.exampleGradients + onTest.exampleGradients,
  };
}

function concatIndices(a: Int32Array, b: Int32Array): Int32Array {
  const out = new Int32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Resolve a job path; with a workspace root, refuse paths that escape it (through `..` or a symlink). */
export function resolveInside(baseDir: string, p: string, what: string, root?: string): string {
  const full = isAbsolute(p) ? p : resolve(baseDir, p);
  if (root) {
    const r = realLocation(resolve(root));
    const real = realLocation(full);
    if (real !== r && !real.startsWith(r + sep)) throw new LetheError(`${what} path "${p}" is outside the workspace; refused`);
  }
  return full;
}

/** Where `p` really is, symlinks resolved; for a path that does not exist yet, below its nearest existing ancestor. */
function realLocation(p: string): string {
  const missing: string[] = [];
  let head = p;
  while (!existsSync(head) && dirname(head) !== head) {
    missing.unshift(basename(head));
    head = dirname(head);
  }
  return join(realpathSync(head), ...missing);
}

async function forgetRetain(spec: JobSpec, data: DatasetSplits, path: (p: string, what: string) => string): Promise<{ forget: Int32Array; retain: Int32Array }> {
  if (!spec.forget) {
    if (spec.kind === 'unlearn') throw new LetheError('an unlearning job needs a forget set ("forget": path to a *.forget.json)');
    const all = new Int32Array(data.train.n).map((_, i) => i);
    return { forget: new Int32Array(0), retain: all };
  }
  const file = path(spec.forget, 'forget set');
  const fs = await readForgetSet(file);
  return resolveForgetSet(fs, data.train, file);
}

/** A seeded share of the test split as unseen validation data; the test metrics use the rest. */
function holdOutValidation(test: Dataset, fraction: number, rng: Rng): { validation: Int32Array; test: Int32Array } {
  const order = rng.permutation(test.n);
  const k = Math.round(test.n * fraction);
  return { validation: order.slice(0, k).sort(), test: order.slice(k).sort() };
}

async function referenceModels(
  spec: JobSpec,
  data: DatasetSplits,
  split: { forget: Int32Array; retain: Int32Array },
  rng: Rng,
  threads: number,
  path: (p: string, what: string) => string,
  opts: RunJobOptions,
  progress: (f: number, m: string) => void,
  say: (level: 'info', m: string) => void,
): Promise<{ models: Model[]; trained?: Model; seconds?: number; exampleGradients?: number; loadedFrom: string[] }> {
  if (spec.reference.checkpoints.length > 0) {
    const loadedFrom = spec.reference.checkpoints.map((c) => path(c, 'reference checkpoint'));
    const models = [];
    for (const f of loadedFrom) models.push((await loadCheckpoint(f)).model);
    return { models, loadedFrom };
  }
  if (!spec.reference.retrain || split.forget.length === 0) return { models: [], loadedFrom: [] };
  const retrain: UnlearningMethod = getMethod('retrain');
  progress(0.05, 'Training the retrain reference');
  const t0 = performance.now();
  const result = await retrain.run({
    model: (await loadCheckpoint(path(spec.model, 'model'))).model,
    train: data.train,
    test: data.test,
    forget: split.forget,
    retain: split.retain,
    validation: new Int32Array(0),
    params: resolveParams(retrain, {}),
    recipe: spec.training,
    rng,
    threads,
    signal: opts.signal,
    progress: (f, m) => progress(0.05 + 0.4 * f, `Retrain reference: ${m}`),
    log: (m) => say('info', `reference: ${m}`),
  });
  const seconds = (performance.now() - t0) / 1000;
  say('info', `retrain reference finished in ${seconds.toFixed(1)} s`);
  return { models: [result.model], trained: result.model, seconds, exampleGradients: result.exampleGradients, loadedFrom: [] };
}

/** Lineage metadata on a written checkpoint: what it is, where it came from, how. */
function annotate(model: Model, role: 'unlearned' | 'reference', original: string, runDir: string, method: string, createdAt: string): Model {
  return {
    ...model,
    metadata: {
      ...model.metadata,
      'lethe.role': role,
      'lethe.parent': relative(runDir, original),
      'lethe.method': method,
      'lethe.createdAt': createdAt,
      'lethe.version': LETHE_VERSION,
    },
  };
}

async function hashes(role: string, files: string[], relativeTo: string): Promise<FileHash[]> {
  const out: FileHash[] = [];
  for (const f of [...new Set(files)]) out.push(...(await hashPath(role, f, relativeTo)));
  return out;
}

function onnxruntimeVersion(): string {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('onnxruntime-node/package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

async function writeReportHtml(report: Report, dir: string, say: (level: 'warn', m: string) => void): Promise<void> {
  const { renderReportHtml, loadWebviewBundle } = await import('../report/html');
  const bundle = await loadWebviewBundle().catch(() => undefined);
  if (!bundle) {
    say('warn', 'report.html not written: the report viewer bundle (dist/webview.js) is missing; run `npm run build`');
    return;
  }
  await writeFile(join(dir, 'report.html'), renderReportHtml(report, bundle));
}

