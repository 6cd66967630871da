/** The Runs view: this session's queued, running, failed and cancelled jobs, then finished run folders. */
import * as vscode from 'vscode';
import { resolve } from 'node:path';
import type { Job, JobQueue } from '../jobs/jobQueue';
import type { DiskRun, RunHistory } from './runHistory';

export type RunNode = { kind: 'job'; job: Job } | { kind: 'disk'; run: DiskRun };

export class RunsTreeProvider implements vscode.TreeDataProvider<RunNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly queue: JobQueue,
    private readonly history: RunHistory,
  ) {
    this.subscriptions = [queue.onDidChange(() => this.changed.fire()), history.onDidChange(() => this.changed.fire()), this.changed];
  }

  async getChildren(element?: RunNode): Promise<RunNode[]> {
    if (element) return [];
    const disk = await this.history.runs();
    const onDisk = new Set(disk.map((r) => resolve(r.runDir)));
    // A finished job appears once its folder is on disk; until the watcher sees it, show the job itself.
    const jobs = this.queue.list().filter((j) => !(j.state === 'finished' && j.runDir && onDisk.has(resolve(j.runDir))));
    const order = { running: 0, queued: 1, failed: 2, cancelled: 2, finished: 2 };
    jobs.sort((a, b) => order[a.state] - order[b.state] || b.queuedAt - a.queuedAt);
    return [...jobs.map((job) => ({ kind: 'job' as const, job })), ...disk.map((run) => ({ kind: 'disk' as const, run }))];
  }

  getTreeItem(node: RunNode): vscode.TreeItem {
    return node.kind === 'job' ? jobItem(node.job) : diskItem(node.run);
  }

  dispose(): void {
    this.subscriptions.forEach((d) => d.dispose());
  }
}

const ICONS: Record<Job['state'], vscode.ThemeIcon> = {
  queued: new vscode.ThemeIcon('clock'),
  running: new vscode.ThemeIcon('sync~spin'),
  finished: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  failed: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
  cancelled: new vscode.ThemeIcon('circle-slash'),
};

function jobItem(job: Job): vscode.TreeItem {
  const item = new vscode.TreeItem(job.label);
  item.id = `job:${job.id}`;
  item.iconPath = ICONS[job.state];
  item.contextValue = `run.${job.state}.rerunnable`;
  item.description = job.state === 'running' ? `${Math.round(job.fraction * 100)}% · ${job.message}` : job.state === 'failed' ? `failed: ${job.error ?? job.message}` : job.state;
  item.tooltip = new vscode.MarkdownString([`**${job.label}** (${job.state})`, job.sourceFile && `From \`${vscode.workspace.asRelativePath(job.sourceFile, true)}\``, job.error ?? job.message].filter(Boolean).join('\n\n'));
  if (job.state === 'failed') item.command = { command: 'lethe.showLog', title: 'Show Log' };
  return item;
}

function diskItem(run: DiskRun): vscode.TreeItem {
  const item = new vscode.TreeItem(run.name);
  item.id = `run:${run.runDir}`;
  item.iconPath = ICONS.finished;
  item.resourceUri = vscode.Uri.file(run.runDir);
  item.contextValue = run.record ? 'run.finished.rerunnable' : 'run.finished';
  const when = new Date(run.createdAt);
  item.description = [run.kind, run.method, Number.isNaN(when.getTime()) ? run.createdAt : when.toLocaleString()].filter(Boolean).join(' · ');
  item.tooltip = vscode.workspace.asRelativePath(run.runDir, true);
  item.command = { command: 'lethe.runs.openReport', title: 'Open Report', arguments: [{ kind: 'disk', run }] };
  return item;
}
