/**
 * One job at a time: jobs wait in a queue, the head runs in a fresh worker process. The queue owns
 * each job's state (shown in the Runs view) and the cleanup after cancel. No UI calls here beyond
 * events; notifications and the status bar listen to it.
 */
import * as vscode from 'vscode';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { JobSpec } from '../../engine/contracts/jobSpec';
import { snapshotOutputFolder } from './outputSnapshot';
import { runInWorker, type WorkerOutcome } from './workerProcess';

export interface PreparedJob {
  /** Shown in the Runs view and in messages. */
  label: string;
  /** The job file or training config it came from, if any (for "Open last report"). */
  sourceFile?: string;
  /** Validated, defaults filled in (so `output` is known for cleanup). */
  spec: JobSpec;
  /** Relative paths in the spec resolve against this folder. */
  baseDir: string;
}

export type JobState = 'queued' | 'running' | 'finished' | 'failed' | 'cancelled';

export interface Job extends PreparedJob {
  id: string;
  state: JobState;
  fraction: number;
  message: string;
  queuedAt: number;
  runDir?: string;
  reportPath?: string;
  error?: string;
}

export class JobQueue implements vscode.Disposable {
  private readonly jobs: Job[] = [];
  private current: { job: Job; abort: AbortController } | undefined;
  private readonly changed = new vscode.EventEmitter<Job>();
  /** Fires on every state or progress change of a job. */
  readonly onDidChange = this.changed.event;
  private readonly ended = new vscode.EventEmitter<Job>();
  /** Fires once when a job reaches finished, failed or cancelled. */
  readonly onDidEnd = this.ended.event;

  constructor(
    private readonly workerPath: string,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Jobs still in this session's list: active ones first, then ended ones, newest first. */
  list(): readonly Job[] {
    return this.jobs;
  }

  get running(): Job | undefined {
    return this.current?.job;
  }

  enqueue(prepared: PreparedJob): Job {
    const job: Job = { ...prepared, id: randomUUID(), state: 'queued', fraction: 0, message: 'queued', queuedAt: Date.now() };
    this.jobs.unshift(job);
    this.log.info(`Queued ${job.label} (${job.id})`);
    this.changed.fire(job);
    void this.startNext();
    return job;
  }

  cancel(jobId: string): void {
    const job = this.jobs.find((j) => j.id === jobId);
    if (!job) return;
    if (this.current?.job === job) {
      this.log.info(`Cancelling ${job.label}: stopping the worker`);
      job.message = 'cancelling…';
      this.changed.fire(job);
      this.current.abort.abort();
    } else if (job.state === 'queued') {
      this.end(job, 'cancelled', 'cancelled before it started');
    }
  }

  /** Drops an ended job from the session list (its outputs, if any, are handled by the caller). */
  forget(jobId: string): void {
    const i = this.jobs.findIndex((j) => j.id === jobId && j.state !== 'running' && j.state !== 'queued');
    if (i >= 0) this.changed.fire(this.jobs.splice(i, 1)[0]);
  }

  private async startNext(): Promise<void> {
    if (this.current) return;
    const job = [...this.jobs].reverse().find((j) => j.state === 'queued'); // oldest first
    if (!job) return;
    const abort = new AbortController();
    this.current = { job, abort };
    job.state = 'running';
    job.message = 'starting worker…';
    this.changed.fire(job);
    this.log.info(`Running ${job.label} in a worker process`);

    const outputDir = resolve(job.baseDir, job.spec.output);
    let outcome: WorkerOutcome;
    try {
      const snapshot = await snapshotOutputFolder(outputDir);
      outcome = await runInWorker(
        this.workerPath,
        {
          jobId: job.id,
          job: job.spec,
          baseDir: job.baseDir,
          label: job.label,
          jobFile: job.sourceFile,
          // Jobs may only read and write inside the workspace folder they come from.
          workspaceRoot: vscode.workspace.getWorkspaceFolder(vscode.Uri.file(job.baseDir))?.uri.fsPath,
        },
        {
          progress: (fraction, message) => {
            job.fraction = fraction;
            job.message = message;
            this.changed.fire(job);
          },
          log: (level, message) => this.log[level === 'trace' ? 'trace' : level](`[${job.label}] ${message}`),
        },
        abort.signal,
      );
      if (outcome.kind === 'cancelled' || outcome.kind === 'crashed') {
        for (const removed of await snapshot.discardNewStaging()) this.log.info(`Removed partial output ${removed}`);
      }
    } catch (e) {
      outcome = { kind: 'crashed', message: `could not run ${job.label}: ${(e as Error).message}` };
    }
    this.current = undefined;
    switch (outcome.kind) {
      case 'result':
        job.runDir = outcome.runDir;
        job.reportPath = outcome.reportPath;
        this.end(job, 'finished', `finished: ${outcome.runDir}`);
        break;
      case 'cancelled':
        this.end(job, 'cancelled', 'cancelled; partial outputs removed');
        break;
      case 'error':
      case 'crashed':
        job.error = outcome.message;
        this.end(job, 'failed', outcome.message);
        break;
    }
    void this.startNext();
  }

  private end(job: Job, state: JobState, message: string): void {
    job.state = state;
    job.message = message;
    if (state === 'finished') job.fraction = 1;
    (state === 'failed' ? this.log.error : this.log.info).call(this.log, `${job.label}: ${message}`);
    this.changed.fire(job);
    this.ended.fire(job);
  }

  dispose(): void {
    this.current?.abort.abort();
    this.changed.dispose();
    this.ended.dispose();
  }
}
