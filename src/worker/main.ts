/**
 * The worker process: forked by the extension host for one job. Receives `start`, runs the job with
 * the engine's `runJob`, streams progress and logs, and ends with exactly one of result / error /
 * cancelled. The host kills this process to cancel; `cancel` is the polite path for other hosts.
 */
import { join } from 'node:path';
import { runJob } from '../engine/job/run';
import { isLetheError } from '../engine/util/errors';
import type { HostToWorker, WorkerToHost } from './protocol';

/** Progress is throttled so a fast inner loop cannot flood the IPC channel. */
const PROGRESS_INTERVAL_MS = 100;

let controller: AbortController | undefined;

function send(m: WorkerToHost): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve();
    process.send(m, undefined, {}, () => resolve());
  });
}

async function start(m: Extract<HostToWorker, { type: 'start' }>): Promise<void> {
  if (controller) {
    await send({ type: 'error', jobId: m.jobId, message: 'this worker is already running a job' });
    return;
  }
  controller = new AbortController();
  let lastProgress = 0;
  try {
    const { runDir } = await runJob(m.job, {
      baseDir: m.baseDir,
      jobFile: m.jobFile,
      workspaceRoot: m.workspaceRoot,
      signal: controller.signal,
      progress(fraction, message) {
        const now = Date.now();
        if (fraction < 1 && now - lastProgress < PROGRESS_INTERVAL_MS) return;
        lastProgress = now;
        void send({ type: 'progress', jobId: m.jobId, fraction, message });
      },
      log(level, message) {
        void send({ type: 'log', jobId: m.jobId, level, message });
      },
    });
    await send({ type: 'result', jobId: m.jobId, runDir, reportPath: join(runDir, 'report.json') });
  } catch (e) {
    if (controller.signal.aborted) {
      await send({ type: 'cancelled', jobId: m.jobId });
    } else if (isLetheError(e)) {
      await send({ type: 'error', jobId: m.jobId, message: e.message, file: e.file });
    } else {
      // A bug rather than bad input: the stack goes to the log, the message to the user.
      const err = e instanceof Error ? e : new Error(String(e));
      await send({ type: 'log', jobId: m.jobId, level: 'error', message: err.stack ?? err.message });
      await send({ type: 'error', jobId: m.jobId, message: err.message });
    }
  }
  process.exit(0);
}

process.on('message', (m: HostToWorker) => {
  if (m?.type === 'start') void start(m);
  else if (m?.type === 'cancel') controller?.abort();
});
// The host went away: there is nobody left to report to.
process.on('disconnect', () => process.exit(0));
void send({ type: 'ready' });
