/** Actions on items of the Runs view: open report, reveal outputs, re-run, cancel, delete. */
import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { JobQueue } from '../jobs/jobQueue';
import { requireTrust } from '../trust';
import { showError } from '../userError';
import type { RunHistory } from './runHistory';
import type { RunNode } from './runsTree';

export function registerRunCommands(queue: JobQueue, history: RunHistory, log: vscode.LogOutputChannel, openReport: (path: string) => Promise<void>): vscode.Disposable[] {
  const runDirOf = (n: RunNode) => (n.kind === 'disk' ? n.run.runDir : n.job.runDir);
  const reportOf = (n: RunNode) => (n.kind === 'disk' ? n.run.reportPath : n.job.reportPath);
  const guarded = (id: string, fn: (n: RunNode) => Promise<unknown> | unknown) =>
    vscode.commands.registerCommand(id, async (n?: RunNode) => {
      if (!n) return void vscode.window.showInformationMessage('Lethe: choose a run in the Runs view.');
      try {
        await fn(n);
      } catch (e) {
        showError(log, e, runDirOf(n));
      }
    });

  return [
    vscode.commands.registerCommand('lethe.runs.refresh', () => history.refresh()),
    vscode.commands.registerCommand('lethe.showLog', () => log.show(true)),
    guarded('lethe.runs.openReport', async (n) => {
      const report = reportOf(n);
      if (report) await openReport(report);
    }),
    guarded('lethe.runs.revealOutputs', async (n) => {
      const dir = runDirOf(n);
      if (dir) await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(dir));
    }),
    guarded('lethe.runs.rerun', (n) => {
      if (!requireTrust('Re-running a job')) return;
      const source = n.kind === 'job' ? n.job : n.run.record;
      if (!source) return void vscode.window.showInformationMessage(`Lethe: ${basename(runDirOf(n) ?? '')} was not started from this workspace, so its job is unknown.`);
      queue.enqueue({ label: source.label, sourceFile: source.sourceFile, spec: source.spec, baseDir: source.baseDir });
    }),
    guarded('lethe.runs.cancel', (n) => n.kind === 'job' && queue.cancel(n.job.id)),
    guarded('lethe.runs.delete', async (n) => {
      const dir = runDirOf(n);
      if (n.kind === 'job' && !dir) return queue.forget(n.job.id); // failed or cancelled: nothing on disk
      if (!dir) return;
      const ok = await vscode.window.showWarningMessage(`Delete the run folder ${vscode.workspace.asRelativePath(dir, true)}?`, { modal: true, detail: 'Its checkpoint, report and provenance are deleted.' }, 'Delete');
      if (ok !== 'Delete') return;
      const uri = vscode.Uri.file(dir);
      try {
        await vscode.workspace.fs.delete(uri, { recursive: true, useTrash: true });
      } catch {
        await vscode.workspace.fs.delete(uri, { recursive: true, useTrash: false }); // no trash on this host
      }
      if (n.kind === 'job') queue.forget(n.job.id);
      await history.forget(dir);
    }),
  ];
}
