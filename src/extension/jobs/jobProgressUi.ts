/**
 * What the user sees while jobs run: a cancellable progress notification for the running job, a
 * status bar item with the queue, a `lethe.jobRunning` context key, and a message when a job ends.
 */
import * as vscode from 'vscode';
import type { Job, JobQueue } from './jobQueue';

export function showJobProgress(queue: JobQueue, onFinished: (job: Job) => void): vscode.Disposable {
  const status = vscode.window.createStatusBarItem('lethe.jobs', vscode.StatusBarAlignment.Left, 10);
  status.name = 'Lethe Jobs';
  status.command = 'workbench.view.extension.lethe';
  const notified = new Set<string>();

  const update = (job: Job) => {
    const active = queue.list().filter((j) => j.state === 'running' || j.state === 'queued');
    void vscode.commands.executeCommand('setContext', 'lethe.jobRunning', active.some((j) => j.state === 'running'));
    const running = queue.running;
    if (running) {
      const waiting = active.length - 1;
      status.text = `$(sync~spin) Lethe ${Math.round(running.fraction * 100)}%${waiting ? ` (+${waiting} queued)` : ''}`;
      status.tooltip = `${running.label}: ${running.message}`;
      status.show();
    } else {
      status.hide();
    }
    if (job.state === 'running' && !notified.has(job.id)) {
      notified.add(job.id);
      void notifyWhileRunning(queue, job);
    }
  };

  const ended = queue.onDidEnd((job) => {
    notified.delete(job.id);
    if (job.state === 'finished') onFinished(job);
    else if (job.state === 'failed') {
      void vscode.window.showErrorMessage(`Lethe: ${job.label} failed: ${job.error ?? job.message}`, 'Show Log').then((c) => c && vscode.commands.executeCommand('lethe.showLog'));
    } else if (job.state === 'cancelled') {
      void vscode.window.showInformationMessage(`Lethe: ${job.label} was cancelled; no outputs were kept.`);
    }
  });
  return vscode.Disposable.from(status, queue.onDidChange(update), ended);
}

function notifyWhileRunning(queue: JobQueue, job: Job): Thenable<void> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Lethe: ${job.label}`, cancellable: true },
    (progress, token) =>
      new Promise<void>((resolve) => {
        token.onCancellationRequested(() => queue.cancel(job.id));
        let reported = 0;
        const sub = queue.onDidChange((j) => {
          if (j !== job) return;
          if (job.state !== 'running') {
            sub.dispose();
            return resolve();
          }
          const percent = Math.round(job.fraction * 100);
          progress.report({ message: `${percent}% ${job.message}`, increment: Math.max(0, percent - reported) });
          reported = Math.max(reported, percent);
        });
      }),
  );
}
