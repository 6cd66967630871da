/**
 * Messages between the extension host and the forked worker process. Shared by both sides.
 * The host validates everything it receives (a crashed or foreign process may send anything).
 */
import type { JobSpecInput } from '../engine/contracts/jobSpec';
import type { Report } from '../engine/contracts/report';
import type { LogLevel } from '../engine/contracts/log';

export type HostToWorker =
  | {
      type: 'start';
      jobId: string;
      job: JobSpecInput;
      /** Folder relative paths in the job resolve against. */
      baseDir: string;
      /** The job file or training config the job came from (hashed into the provenance). */
      jobFile?: string;
      /** Every path the job names must stay inside this folder (the workspace). */
      workspaceRoot?: string;
    }
  | { type: 'cancel'; jobId: string };

export type WorkerToHost =
  | { type: 'ready' }
  | { type: 'progress'; jobId: string; fraction: number; message: string }
  | { type: 'log'; jobId: string; level: LogLevel; message: string }
  | { type: 'result'; jobId: string; runDir: string; report: Report }
  | { type: 'error'; jobId: string; message: string; /** file the error is about, when known */ file?: string }
  | { type: 'cancelled'; jobId: string };

export function isWorkerToHost(m: unknown): m is WorkerToHost {
  if (typeof m !== 'object' || m === null) return false;
  const t = (m as { type?: unknown }).type;
  switch (t) {
    case 'ready':
      return true;
    case 'progress':
      return typeof (m as { fraction?: unknown }).fraction === 'number' && typeof (m as { message?: unknown }).message === 'string';
    case 'log':
    case 'error':
      return typeof (m as { message?: unknown }).message === 'string';
    case 'result':
      return typeof (m as { runDir?: unknown }).runDir === 'string' && typeof (m as { report?: unknown }).report === 'object';
    case 'cancelled':
      return true;
    default:
      return false;
  }
}
