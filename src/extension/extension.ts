/**
 * Activation: wires the views, commands, code lenses, custom editor and job queue together. The
 * extension host only orchestrates: models are summarised (protobuf only), jobs run in a worker.
 */
import * as vscode from 'vscode';
import { CODE_LENS_SELECTOR, JobCodeLensProvider } from './codeLens/jobCodeLens';
import { ForgetSetCatalog } from './forgetSets/forgetSetCatalog';
import { registerForgetSetCommands } from './forgetSets/forgetSetCommands';
import { ForgetSetTreeProvider } from './forgetSets/forgetSetTree';
import { registerSelectionCommands } from './forgetSets/selectionCommands';
import { registerJobCommands } from './jobs/jobCommands';
import { showJobProgress } from './jobs/jobProgressUi';
import { JobQueue } from './jobs/jobQueue';
import { ModelOverviewEditor } from './modelOverview/overviewEditor';
import { ModelCatalog } from './models/modelCatalog';
import { registerModelCommands } from './models/modelCommands';
import { ModelTreeProvider } from './models/modelTree';
import { openReportPanel, registerReportSerializer } from './report/panel';
import { RunHistory } from './runs/runHistory';
import { registerRunCommands } from './runs/runCommands';
import { RunsTreeProvider } from './runs/runsTree';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Lethe', { log: true });
  const models = new ModelCatalog(log);
  const forgetSets = new ForgetSetCatalog();
  const history = new RunHistory(context.workspaceState);
  const queue = new JobQueue(context.asAbsolutePath('dist/worker.js'), log);
  const openReport = (path: string) => openReportPanel(context, path);
  const runsTree = new RunsTreeProvider(queue, history);
  const lenses = new JobCodeLensProvider();

  registerReportSerializer(context);
  context.subscriptions.push(
    log,
    models,
    forgetSets,
    history,
    queue,
    runsTree,
    lenses,
    vscode.window.createTreeView('lethe.models', { treeDataProvider: new ModelTreeProvider(models), showCollapseAll: true }),
    vscode.window.createTreeView('lethe.forgetSets', { treeDataProvider: new ForgetSetTreeProvider(forgetSets) }),
    vscode.window.createTreeView('lethe.runs', { treeDataProvider: runsTree }),
    ModelOverviewEditor.register(models),
    vscode.languages.registerCodeLensProvider(CODE_LENS_SELECTOR, lenses),
    showJobProgress(queue, (job) => {
      if (!job.runDir) return;
      void history.remember({ runDir: job.runDir, label: job.label, sourceFile: job.sourceFile, spec: job.spec, baseDir: job.baseDir, finishedAt: Date.now() });
      void vscode.window.showInformationMessage(`Lethe: ${job.label} finished.`, 'Open Report', 'Reveal Outputs').then((choice) => {
        if (choice === 'Open Report') void vscode.commands.executeCommand('lethe.runs.openReport', { kind: 'job', job });
        if (choice === 'Reveal Outputs') void vscode.commands.executeCommand('lethe.runs.revealOutputs', { kind: 'job', job });
      });
    }),
    ...registerModelCommands(models, openReport),
    ...registerForgetSetCommands(forgetSets),
    ...registerSelectionCommands(forgetSets, log),
    ...registerJobCommands({ queue, forgetSets, models, history, log, openReport }),
    ...registerRunCommands(queue, history, log, openReport),
  );
  log.info(`Lethe activated (workspace ${vscode.workspace.isTrusted ? 'trusted' : 'restricted: viewing only'})`);
}
