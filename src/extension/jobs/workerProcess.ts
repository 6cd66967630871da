/**
 * Runs one job in a forked worker process and turns everything that can happen into one outcome:
 * a result, an error the engine reported, a cancellation (the process is killed), or a crash
 * (the process ended without saying why). No vscode import, so it is tested with real child processes.
 */
import { fork } from 'node:child_process';
import type { LogLevel } from '../../engine/contracts/log';
import { parseWorkerMessage, type HostToWorker, type WorkerToHost } from '../../worker/protocol';

type WorkerMessage<T extends WorkerToHost['type']> = Extract<WorkerToHost, { type: T }>;

export type WorkerOutcome =
  | ({ kind: 'result' } & Pick<WorkerMessage<'result'>, 'runDir' | 'reportPath'>)
  | ({ kind: 'error' } & Pick<WorkerMessage<'error'>, 'message' | 'file'>)
  | { kind: 'cancelled' }
  | { kind: 'crashed'; message: string };

/** The worker's start message, plus a label shown in crash messages (e.g. the job file's name). */
export type WorkerJob = Omit<Extract<HostToWorker, { type: 'start' }>, 'type'> & { label: string };

export interface WorkerListener {
  progress(fraction: number, message: string): void;
  log(level: LogLevel, message: string): void;
}

/** How much of the worker's stderr to keep for a crash message. */
const STDERR_TAIL = 4000;

export function runInWorker(workerPath: string, job: WorkerJob, listener: WorkerListener, signal: AbortSignal): Promise<WorkerOutcome> {
  return new Promise((resolve) => {
    let outcome: WorkerOutcome | undefined;
    let settled = false;
    let stderr = '';
    const finish = (o: WorkerOutcome) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      resolve(o);
    };
    const child = fork(workerPath, [], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], execArgv: [] });

    const onAbort = () => {
      outcome ??= { kind: 'cancelled' };
      child.kill('SIGKILL'); // the contract is "cancel kills": native kernels cannot be interrupted politely
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });

    child.stdout?.on('data', (d: Buffer) => listener.log('debug', d.toString().trimEnd()));
    child.stderr?.on('data', (d: Buffer) => {
      const text = d.toString();
      stderr = (stderr + text).slice(-STDERR_TAIL);
      listener.log('warn', text.trimEnd());
    });

    child.on('message', (received: unknown) => {
      const m = parseWorkerMessage(received);
      if (!m) return listener.log('warn', `ignored a malformed message from the worker: ${JSON.stringify(received)?.slice(0, 200)}`);
      if ('jobId' in m && m.jobId !== job.jobId) return;
      handle(m);
    });

    function handle(m: WorkerToHost): void {
      switch (m.type) {
        case 'ready':
          return;
        case 'progress':
          return listener.progress(Math.min(1, Math.max(0, m.fraction)), m.message);
        case 'log':
          return listener.log(m.level, m.message);
        case 'result':
          outcome ??= { kind: 'result', runDir: m.runDir, reportPath: m.reportPath };
          return;
        case 'error':
          outcome ??= { kind: 'error', message: m.message, file: m.file };
          return;
        case 'cancelled':
          outcome ??= { kind: 'cancelled' };
          return;
      }
    }

    child.on('error', (e) => {
      outcome ??= { kind: 'crashed', message: `could not start the Lethe worker (${workerPath}): ${e.message}` };
      if (child.pid === undefined) finish(outcome); // never spawned, so no 'exit' will follow
    });

    // 'close', not 'exit': it comes after the IPC channel is drained, so a final message is never mistaken for a crash
    child.on('close', (code, sig) => {
      const how = sig ? `was killed by ${sig}` : `exited with code ${code}`;
      const lastLine = stderr.trim().split('\n').filter(Boolean).pop();
      finish(outcome ?? { kind: 'crashed', message: `the Lethe worker ${how} while running ${job.label} without reporting a result${lastLine ? ` (last output: ${lastLine})` : ''}` });
    });

    const { label: _label, ...startMessage } = job;
    const start: HostToWorker = { type: 'start', ...startMessage };
    child.send(start, (e) => {
      if (e) outcome ??= { kind: 'crashed', message: `could not send the job to the Lethe worker: ${e.message}` };
    });
  });
}
