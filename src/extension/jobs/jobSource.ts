/**
 * Turns what the user clicked into a job for the queue: a `*.lethe.yaml|json` job file (read with the
 * engine's loader), a training config (model + data keys, plus a forget set the user picks), or a
 * model in the Models view. Specs are validated here so mistakes surface before anything is queued.
 */
import * as vscode from 'vscode';
import { basename, dirname, join, resolve } from 'node:path';
import { loadJobFile, parseJobSpec } from '../../engine/job/load';
import type { JobSpec, JobSpecInput } from '../../engine/contracts/jobSpec';
import { forgetSetDatasetPath } from '../../engine/data/forgetSet';
import { classifyConfig } from '../codeLens/configKind';
import { findDatasets, pickDataset } from '../forgetSets/datasets';
import type { ForgetSetCatalog } from '../forgetSets/forgetSetCatalog';
import { toPosixRelative } from '../forgetSets/saveSelection';
import { findCalibration } from '../methods/calibrationLookup';
import { jobFileText } from '../methods/jobFile';
import { pickMethod } from '../methods/methodPicker';
import { recipeOf } from '../methods/recordedRecipe';
import { readSettings } from '../settings';
import type { PreparedJob } from './jobQueue';

export type JobKind = JobSpec['kind'];

/** From a job file or a training config. `kind` undefined = as the job file says. */
export async function prepareFromFile(uri: vscode.Uri, kind: JobKind | undefined, forgetSets: ForgetSetCatalog, metadataOf: ModelMetadata): Promise<PreparedJob | undefined> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open?.isDirty) await open.save(); // run what the user sees
  const file = uri.fsPath;
  const settings = readSettings(uri);
  const config = classifyConfig(file, open?.getText() ?? (await vscode.workspace.fs.readFile(uri)).toString());
  if (!config) throw new Error(`${file}: not a Lethe job (*.lethe.yaml) nor a training config with model/checkpoint and data keys`);

  if (config.kind === 'job') {
    const spec = await loadJobFile(file);
    return {
      label: spec.name ?? basename(file).replace(/\.lethe\.(ya?ml|json)$/i, ''),
      sourceFile: file,
      baseDir: dirname(file),
      spec: { ...spec, kind: kind ?? spec.kind, threads: spec.threads || settings.threads },
    };
  }

  const baseDir = dirname(file);
  const dataPath = resolve(baseDir, config.data);
  const modelPath = resolve(baseDir, config.model);
  const spec: JobSpecInput = {
    name: `${basename(file).replace(/\.(ya?ml|json)$/i, '')}-${kind ?? 'unlearn'}`,
    kind: kind ?? 'unlearn',
    model: config.model,
    data: config.data,
    training: Object.keys(config.training).length ? config.training : undefined,
    output: settings.outputFolder || undefined,
    threads: settings.threads,
  };
  if (spec.kind === 'unlearn') {
    const forget = await pickForgetSet(forgetSets, dataPath);
    if (!forget) return undefined;
    spec.forget = toPosixRelative(baseDir, forget);
  }
  const metadata = await metadataOf(vscode.Uri.file(modelPath));
  return completeJob(spec, { file, baseDir, recipe: recipeOf(metadata, config.training), metadata, sourceFile: file });
}

/** From a model: unlearning takes the data from the forget set the user picks; an audit asks for a dataset. */
export async function prepareFromModel(model: vscode.Uri, kind: JobKind, forgetSets: ForgetSetCatalog, metadataOf: ModelMetadata): Promise<PreparedJob | undefined> {
  const baseDir = dirname(model.fsPath);
  const settings = readSettings(model);
  const spec: JobSpecInput = {
    name: `${basename(model.fsPath).replace(/\.(onnx|json)$/i, '')}-${kind}`,
    kind,
    model: toPosixRelative(baseDir, model.fsPath),
    data: '',
    output: settings.outputFolder || undefined,
    threads: settings.threads,
  };
  if (kind === 'unlearn') {
    const forget = await pickForgetSet(forgetSets, undefined);
    if (!forget) return undefined;
    const entry = (await forgetSets.entries()).find((e) => e.uri.fsPath === forget);
    if (!entry?.content) throw new Error(`${forget}: ${entry?.problem ?? 'cannot be read'}`);
    spec.forget = toPosixRelative(baseDir, forget);
    spec.data = toPosixRelative(baseDir, forgetSetDatasetPath(entry.content, forget));
  } else {
    const dataset = await pickDataset(await findDatasets(), `Audit ${basename(model.fsPath)}`);
    if (!dataset) return undefined;
    spec.data = toPosixRelative(baseDir, dataset.path);
  }
  const metadata = await metadataOf(model);
  return completeJob(spec, { file: model.fsPath, baseDir, recipe: recipeOf(metadata), metadata });
}

/** A model's metadata as the Models view read it (empty when it was not parsed). */
export type ModelMetadata = (model: vscode.Uri) => Promise<Record<string, string>>;

interface JobOrigin {
  /** The file the job was started from (a model or a training config): errors name it. */
  file: string;
  baseDir: string;
  recipe: ReturnType<typeof recipeOf>;
  metadata: Record<string, string>;
  sourceFile?: string;
}

/**
 * The recipe for the reference (left unset when unknown, so the runner decides) and, for unlearning, the
 * method the user picks. "Edit parameters…" writes and opens a job file instead of queueing anything.
 */
async function completeJob(spec: JobSpecInput, o: JobOrigin): Promise<PreparedJob | undefined> {
  if (o.recipe.problem) void vscode.window.showWarningMessage(`Lethe: ${o.file}: ${o.recipe.problem}; the reference is retrained with the default recipe.`);
  if (o.recipe.source === 'model') spec.training = o.recipe.recipe;
  if (spec.kind === 'unlearn') {
    const calibration = await findCalibration(resolve(o.baseDir, spec.model), resolve(o.baseDir, spec.data));
    if (calibration?.problem) void vscode.window.showWarningMessage(`Lethe: ${calibration.file}: not used: ${calibration.problem}. Run \`lethe calibrate\` again for this model and data.`);
    const choice = await pickMethod({ title: 'Unlearn', recipe: o.recipe, metadata: o.metadata, preselect: readSettings(vscode.Uri.file(o.file)).defaultMethod, calibrated: calibration?.recommendation });
    if (!choice) return undefined;
    spec.method = choice.method.name;
    // Calibrated settings apply to the methods the calibration searched; the others run with their budgets.
    if (calibration?.recommendation && !calibration.problem) spec.calibration = toPosixRelative(o.baseDir, calibration.file);
    if (choice.editParameters) {
      parseJobSpec(spec, o.file); // a job file that cannot run is not worth opening
      await openJobFile(o.baseDir, [spec.name, choice.method.name].join('-'), jobFileText(spec, choice.method, o.recipe));
      return undefined;
    }
  }
  return { label: spec.name as string, sourceFile: o.sourceFile, baseDir: o.baseDir, spec: parseJobSpec(spec, o.file) };
}

/** Writes `<stem>.lethe.yaml` (or `<stem>-2…` when taken: never overwrites an edited job) and opens it. */
async function openJobFile(dir: string, stem: string, text: string): Promise<void> {
  let uri = vscode.Uri.file(join(dir, `${stem}.lethe.yaml`));
  for (let n = 2; await exists(uri); n++) uri = vscode.Uri.file(join(dir, `${stem}-${n}.lethe.yaml`));
  await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
  await vscode.window.showTextDocument(uri);
  void vscode.window.showInformationMessage(`Lethe: edit the parameters in ${basename(uri.fsPath)}, then click "Run unlearning" above the file.`);
}

const exists = (uri: vscode.Uri) => vscode.workspace.fs.stat(uri).then(() => true, () => false);

/** Forget sets for this dataset first; all valid ones when the dataset is unknown. */
async function pickForgetSet(catalog: ForgetSetCatalog, dataPath: string | undefined): Promise<string | undefined> {
  const valid = (await catalog.entries()).filter((e) => e.content);
  const matching = dataPath ? valid.filter((e) => resolve(forgetSetDatasetPath(e.content!, e.uri.fsPath)) === dataPath) : valid;
  const choices = matching.length ? matching : valid;
  if (!choices.length) {
    void vscode.window.showWarningMessage('Lethe: create a forget set first (Lethe: Create Forget Set…).');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    choices.map((e) => ({ label: basename(e.uri.fsPath), description: e.content?.description, path: e.uri.fsPath })),
    { title: 'Run Unlearning', placeHolder: 'Forget set: what should the model forget?' },
  );
  return picked?.path;
}
