/** Commands that start, cancel and follow jobs: from the palette, code lenses, the Explorer and the Models view. */
import * as vscode from 'vscode';
import { access } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { loadJobFile } from '../../engine/job/load';
import type { ForgetSetCatalog } from '../forgetSets/forgetSetCatalog';
import type { ModelCatalog } from '../models/modelCatalog';
import type { RunHistory } from '../runs/runHistory';
import { requireTrust } from '../trust';
import { showError } from '../userError';
import type { JobQueue, PreparedJob } from './jobQueue';
import { prepareFromFile, prepareFromModel, type JobKind } from './jobSource';
import { JOB_FILE } from '../codeLens/configKind';
import { modelUriOf } from '../models/modelCommands';

export interface JobCommandDeps {
  queue: JobQueue;
  forgetSets: ForgetSetCatalog;
  models: ModelCatalog;
  history: RunHistory;
  log: vscode.LogOutputChannel;
  openReport(reportJsonPath: string): Promise<void>;
}

export function registerJobCommands(deps: JobCommandDeps): vscode.Disposable[] {
  const { queue, forgetSets, history, log } = deps;
  const metadataOf = async (model: vscode.Uri) => (await deps.models.describe(model))?.metadata ?? {};

  /** Trust first, before any picker: running jobs reads data and writes checkpoints. */
  const start = async (action: string, target: () => Promise<vscode.Uri | undefined>, prepare: (uri: vscode.Uri) => Promise<PreparedJob | undefined>) => {
    if (!requireTrust(action)) return;
    const uri = await target();
    if (!uri) return;
    try {
      const job = await prepare(uri);
      if (job) queue.enqueue(job);
    } catch (e) {
      showError(log, e, uri.fsPath);
    }
  };

  const fromFile = (kind: JobKind | undefined, action: string) => (arg?: unknown) =>
    start(action, async () => (arg instanceof vscode.Uri ? arg : pickJobFile()), (uri) => prepareFromFile(uri, kind, forgetSets, metadataOf));

  const fromModel = (kind: JobKind, action: string) => (arg?: unknown) =>
    start(action, async () => modelUriOf(arg) ?? pickModel(), (uri) => prepareFromModel(uri, kind, forgetSets, metadataOf));

  return [
    vscode.commands.registerCommand('lethe.runJob', fromFile(undefined, 'Running an unlearning job')),
    vscode.commands.registerCommand('lethe.auditJob', fromFile('audit', 'Auditing a model')),
    vscode.commands.registerCommand('lethe.models.unlearn', fromModel('unlearn', 'Unlearning')),
    vscode.commands.registerCommand('lethe.models.audit', fromModel('audit', 'Auditing a model')),
    vscode.commands.registerCommand('lethe.cancelJob', () => {
      const running = queue.running;
      if (running) queue.cancel(running.id);
      else void vscode.window.showInformationMessage('Lethe: no job is running.');
    }),
    vscode.commands.registerCommand('lethe.openLastReport', async (arg?: unknown) => {
      const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
      try {
        const report = uri ? await lastReport(uri.fsPath, history) : (await history.runs())[0]?.reportPath;
        if (report) await deps.openReport(report);
        else void vscode.window.showInformationMessage(`Lethe: no report yet${uri ? ` for ${basename(uri.fsPath)}` : ''}. Run the job first.`);
      } catch (e) {
        showError(log, e, uri?.fsPath);
      }
    }),
  ];
}

/** This workspace's record first; for job files also the newest run folder in the job's output folder. */
async function lastReport(file: string, history: RunHistory): Promise<string | undefined> {
  const remembered = await history.lastReportFor(file);
  if (remembered || !JOB_FILE.test(file)) return remembered;
  const spec = await loadJobFile(file);
  const output = resolve(dirname(file), spec.output);
  const runs = (await history.runs()).filter((r) => dirname(resolve(r.runDir)) === output && (!spec.name || r.name === spec.name));
  for (const r of runs) if (await access(join(r.runDir, 'report.json')).then(() => true, () => false)) return r.reportPath;
  return undefined;
}

async function pickJobFile(): Promise<vscode.Uri | undefined> {
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active && JOB_FILE.test(active.fsPath)) return active;
  return pickWorkspaceFile('**/*.lethe.{yaml,yml,json}', 'no *.lethe.yaml job files in this workspace. Use "Unlearn Model…" on a model instead.', {
    title: 'Run Lethe Job',
    placeHolder: 'Job file to run',
  });
}

function pickModel(): Promise<vscode.Uri | undefined> {
  return pickWorkspaceFile('**/*.onnx', 'no ONNX models in this workspace.', { title: 'Lethe', placeHolder: 'Model to audit or unlearn' });
}

/** A quick pick of the workspace files matching `glob` (outside node_modules), or a message when there are none. */
async function pickWorkspaceFile(glob: string, noneMessage: string, options: vscode.QuickPickOptions): Promise<vscode.Uri | undefined> {
  const files = await vscode.workspace.findFiles(glob, '**/node_modules/**');
  if (files.length === 0) {
    void vscode.window.showInformationMessage(`Lethe: ${noneMessage}`);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    files.map((uri) => ({ label: basename(uri.fsPath), description: vscode.workspace.asRelativePath(dirname(uri.fsPath), true), uri })),
    options,
  );
  return picked?.uri;
}
